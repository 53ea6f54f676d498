// The organizer console. The page holds no data: everything comes from the organizer routes, called with
// the key in the x-functions-key header. The key is typed once and kept in this tab's session storage,
// never in an address. Text from the server is set as text, never as HTML.
(() => {
  const byId = (id) => document.getElementById(id);
  const consoleEl = byId('console');
  const keyForm = byId('key-form');
  if (!consoleEl || !keyForm) return;

  const KEY = 'peermatch.organizerKey';
  const invitationsPath = consoleEl.dataset.invitations;
  const groupsPath = consoleEl.dataset.groups;
  const proposalsPath = consoleEl.dataset.proposals;
  const coveragePath = consoleEl.dataset.coverage;
  const matchRunsPath = consoleEl.dataset.matchRuns;
  const modelLabels = JSON.parse(consoleEl.dataset.modelLabels || '{}');
  const number = new Intl.NumberFormat('en');
  const POLL_MS = 2000;

  // Calls an organizer route. A 401 means the key is wrong (or was changed): back to the key form. A 429 means too
  // many wrong keys came from here: PeerMatch refuses this address for a while, whatever key it sends.
  async function call(path, options = {}) {
    const headers = { 'x-functions-key': sessionStorage.getItem(KEY) || '', Accept: 'application/json', ...options.headers };
    const response = await fetch(path, { ...options, headers, cache: 'no-store' });
    if (response.status === 401) {
      askForKey('That key was not accepted. Type the organizer key again.');
      throw new Error('unauthorized');
    }
    if (response.status === 429) {
      const minutes = Math.ceil(Number(response.headers.get('Retry-After') || 600) / 60);
      askForKey(`Too many wrong keys were sent from here, so PeerMatch refuses organizer requests from this address for up to ${minutes} minutes. Wait, then type the key again.`);
      throw new Error('unauthorized');
    }
    const type = response.headers.get('content-type') || '';
    const body = type.includes('json') ? await response.json() : null;
    return { status: response.status, ok: response.ok, body };
  }

  // ---- The key ----
  function askForKey(message) {
    sessionStorage.removeItem(KEY);
    stopWatching();
    consoleEl.hidden = true;
    keyForm.hidden = false;
    byId('key-error').textContent = message || '';
    byId('key').setAttribute('aria-invalid', message ? 'true' : 'false');
    byId('key').focus();
  }

  async function open() {
    try {
      await refreshCampaigns();
      await refreshGroups();
    } catch (error) {
      if (error.message !== 'unauthorized') {
        askForKey('PeerMatch could not be reached. Check your connection and try again.');
      }
      return;
    }
    keyForm.hidden = true;
    consoleEl.hidden = false;
    // Counting coverage reads everyone: the console opens without waiting for it.
    refreshCoverage();
  }

  keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = byId('key').value.trim();
    if (!key) {
      askForKey('Type the organizer key.');
      return;
    }
    sessionStorage.setItem(KEY, key);
    byId('key').value = '';
    open();
  });

  byId('forget-key').addEventListener('click', () => askForKey(''));

  // ---- Invitations: check the list, then send exactly what was checked ----
  const inviteForm = byId('invite-form');
  const preview = byId('preview');
  let checked = null; // { campaign, sender, message, csv, fileName }: what the preview counted

  // A form's problems: `inputs` maps each field a problem may name to its input's id (a field it does not know
  // goes to `inputs.other`, if any); a problem about no field shows in `summaryId`.
  function problemShower(inputs, summaryId, nothingDone) {
    const clear = () => {
      for (const id of new Set(Object.values(inputs))) {
        byId(id + '-error').textContent = '';
        byId(id).removeAttribute('aria-invalid');
      }
      byId(summaryId).hidden = true;
    };
    const show = (problem, status) => {
      clear();
      let first = null;
      for (const [name, messages] of Object.entries((problem && problem.errors) || {})) {
        const id = inputs[name] || inputs.other;
        if (!id) continue;
        byId(id + '-error').textContent = messages.join(' ');
        byId(id).setAttribute('aria-invalid', 'true');
        first = first || byId(id);
      }
      if (first) {
        first.focus();
        return;
      }
      byId(summaryId).textContent = (problem && (problem.detail || problem.title)) || `PeerMatch answered ${status}. ${nothingDone}`;
      byId(summaryId).hidden = false;
    };
    return { clear, show };
  }

  const inviteProblems = problemShower({ campaign: 'campaign', sender: 'sender', message: 'message', recipients: 'recipients', other: 'recipients' }, 'invite-error', 'Nothing was sent.');
  const clearErrors = inviteProblems.clear;
  const showProblem = inviteProblems.show;

  function upload(list, dryRun) {
    const form = new FormData();
    form.append('campaign', list.campaign);
    if (list.sender) form.append('sender', list.sender);
    if (list.message) form.append('message', list.message);
    form.append('recipients', new Blob([list.csv], { type: 'text/csv' }), list.fileName);
    return call(invitationsPath + (dryRun ? '?dryRun=true' : ''), { method: 'POST', body: form });
  }

  function busy(button, on) {
    button.disabled = on;
    if (on) button.setAttribute('aria-busy', 'true'); else button.removeAttribute('aria-busy');
  }

  // Runs an action behind its button: the button is busy meanwhile, and a lost connection is told through
  // `unreachable` (a refused key has already sent the organizer back to the key form).
  async function whileBusy(button, action, unreachable) {
    busy(button, true);
    try {
      await action();
    } catch (error) {
      if (error.message !== 'unauthorized') unreachable();
    } finally {
      busy(button, false);
    }
  }

  const postJson = (path, body) => call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

  inviteForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    preview.hidden = true;
    byId('sent').hidden = true;
    const file = byId('recipients').files[0];
    if (!byId('campaign').value.trim()) {
      showProblem({ errors: { campaign: ['Give the campaign a title.'] } });
      return;
    }
    if (!file) {
      showProblem({ errors: { recipients: ['Choose the CSV file of the people to invite.'] } });
      return;
    }
    const list = {
      campaign: byId('campaign').value,
      sender: byId('sender').value,
      message: byId('message').value,
      csv: await file.text(),
      fileName: file.name,
    };
    await whileBusy(byId('check'), async () => {
      const answer = await upload(list, true);
      if (!answer.ok) {
        showProblem(answer.body, answer.status);
        return;
      }
      checked = list;
      showPreview(answer.body);
    }, () => showProblem(null, 'nothing (no connection)'));
  });

  // Any change to the form makes the counts stale: check again before sending.
  inviteForm.addEventListener('input', () => {
    checked = null;
    preview.hidden = true;
  });

  byId('change').addEventListener('click', () => {
    checked = null;
    preview.hidden = true;
    byId('recipients').focus();
  });

  function showPreview(receipt) {
    for (const dd of preview.querySelectorAll('[data-count]')) {
      const value = receipt[dd.dataset.count];
      dd.textContent = number.format(Array.isArray(value) ? value.length : value);
    }
    const rows = byId('invalid-rows');
    const body = rows.querySelector('tbody');
    body.replaceChildren();
    const shown = receipt.invalid.slice(0, 200);
    for (const row of shown) {
      const tr = document.createElement('tr');
      for (const text of [String(row.row), row.email, row.reason]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      body.append(tr);
    }
    byId('invalid-more').textContent = receipt.invalid.length > shown.length
      ? `and ${number.format(receipt.invalid.length - shown.length)} more.` : '';
    rows.hidden = receipt.invalid.length === 0;
    const send = byId('send');
    send.textContent = receipt.accepted === 0 ? 'Nobody new to invite'
      : receipt.accepted === 1 ? 'Send 1 invitation' : `Send ${number.format(receipt.accepted)} invitations`;
    send.disabled = receipt.accepted === 0;
    preview.hidden = false;
    byId('preview-title').focus();
  }

  byId('send').addEventListener('click', async () => {
    if (!checked) return;
    await whileBusy(byId('send'), async () => {
      const answer = await upload(checked, false);
      if (!answer.ok) {
        preview.hidden = true;
        showProblem(answer.body, answer.status);
        return;
      }
      checked = null;
      preview.hidden = true;
      inviteForm.reset();
      const sent = byId('sent');
      sent.textContent = `${number.format(answer.body.accepted)} invitations recorded: sending now. Follow the campaign below.`;
      sent.hidden = false;
      const posted = items.get(answer.body.campaignId);
      if (posted) posted.done = false; // added to: follow it again
      await refreshCampaigns();
    }, () => showProblem(null, 'nothing (no connection)'));
  });

  // ---- Campaigns and their progress, refreshed until every one is done ----
  const list = byId('campaigns');
  const items = new Map(); // campaignId -> { element, done }
  let timer = null;

  function stopWatching() {
    clearTimeout(timer);
    timer = null;
  }

  async function refreshCampaigns() {
    const answer = await call(invitationsPath);
    if (!answer.ok) return;
    const campaigns = answer.body.campaigns;
    byId('no-campaigns').hidden = campaigns.length > 0;
    const ordered = campaigns.map((campaign) => itemFor(campaign));
    list.replaceChildren(...ordered.map((item) => item.element));
    await refreshProgress();
  }

  function itemFor(campaign) {
    let item = items.get(campaign.campaignId);
    if (!item) {
      const element = byId('campaign-template').content.firstElementChild.cloneNode(true);
      element.dataset.campaign = campaign.campaignId;
      element.querySelector('.campaign-title').textContent = campaign.title;
      element.querySelector('progress').setAttribute('aria-label', 'Progress of ' + campaign.title);
      item = { element, done: false };
      items.set(campaign.campaignId, item);
      for (const [selector, resolve] of [['.in-doubt-sent', 'sent'], ['.in-doubt-resend', 'resend']]) {
        const button = element.querySelector(selector);
        button.addEventListener('click', () => resolveInDoubt(campaign.campaignId, item, button, resolve));
      }
    }
    return item;
  }

  // Invitations in doubt: the sending stopped during a request to the e-mail service, which may or may not have sent
  // them. The organizer decides: counted as sent (nobody gets two), or sent again (some may get two).
  async function resolveInDoubt(campaignId, item, button, resolve) {
    const note = item.element.querySelector('.in-doubt-note');
    await whileBusy(button, async () => {
      const answer = await postJson(invitationsPath + '/' + encodeURIComponent(campaignId) + '/in-doubt', { resolve });
      if (!answer.ok) {
        note.textContent = (answer.body && (answer.body.detail || answer.body.title)) || 'That did not work. Try again.';
        return;
      }
      const count = number.format(answer.body.invitations);
      note.textContent = resolve === 'sent' ? `${count} counted as sent.` : `${count} being sent again.`;
      showProgress(item, answer.body.progress);
      refreshProgress().catch(() => {});
    }, () => { note.textContent = 'PeerMatch could not be reached. Check your connection and try again.'; });
  }

  async function refreshProgress() {
    stopWatching();
    const watching = [...items.entries()].filter(([, item]) => !item.done && item.element.isConnected);
    await Promise.all(watching.map(async ([id, item]) => {
      const answer = await call(invitationsPath + '/' + encodeURIComponent(id));
      if (answer.ok) showProgress(item, answer.body);
    }));
    if ([...items.values()].some((item) => !item.done && item.element.isConnected)) {
      timer = setTimeout(() => refreshProgress().catch(() => {}), POLL_MS);
    }
  }

  function showProgress(item, progress) {
    const finished = progress.sent + progress.failed + progress.skipped;
    const percent = progress.total === 0 ? 100 : Math.floor((finished * 100) / progress.total);
    item.done = progress.pending === 0;
    const bar = item.element.querySelector('progress');
    bar.value = percent;
    bar.textContent = percent + ' %';
    const parts = [`${percent} %`, `${number.format(progress.sent)} of ${number.format(progress.total)} sent`];
    if (progress.failed) parts.push(`${number.format(progress.failed)} failed`);
    if (progress.skipped) parts.push(`${number.format(progress.skipped)} skipped (joined or unsubscribed meanwhile)`);
    if (progress.inDoubt) parts.push(`${number.format(progress.inDoubt)} in doubt`);
    parts.push(item.done ? (progress.inDoubt ? 'waiting for your decision' : 'done') : `${number.format(progress.pending)} to go`);
    item.element.querySelector('.campaign-progress').textContent = parts.join(' · ');
    item.element.classList.toggle('done', item.done && !progress.inDoubt);
    const doubt = item.element.querySelector('.in-doubt');
    doubt.hidden = !progress.inDoubt;
    if (progress.inDoubt) {
      const count = number.format(progress.inDoubt);
      item.element.querySelector('.in-doubt-text').textContent =
        `${count} invitations are in doubt: the sending stopped during its request to SendGrid, which may or may not have sent them. ` +
        `In SendGrid's Email Activity, look for the custom argument peermatch_mailing starting with “${progress.campaignId}/”. ` +
        `If they were sent, count them as sent; if not, send them again (anyone who did get one gets a second).`;
      item.element.querySelector('.in-doubt-resend').textContent = `Send the ${count} again`;
    }
  }

  // ---- Peer groups: preview, form now, and every group's state and answers ----
  const groupsForm = byId('groups-form');
  const proposals = byId('proposals');
  let proposed = null; // the filter the preview was made with

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function groupFilter() {
    const filter = {};
    const region = byId('group-region').value.trim();
    if (region) filter.region = region;
    if (byId('group-model').value) filter.model = byId('group-model').value;
    if (byId('group-size').value) filter.size = Number(byId('group-size').value);
    return filter;
  }

  const groupsProblems = problemShower({ region: 'group-region', model: 'group-model', size: 'group-size' }, 'groups-error', 'Nothing was formed.');
  const showGroupsProblem = groupsProblems.show;

  function names(people) {
    return people.map((p) => p.name).join(', ');
  }

  groupsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    groupsProblems.clear();
    proposals.hidden = true;
    byId('formed').hidden = true;
    const filter = groupFilter();
    await whileBusy(byId('propose'), async () => {
      const answer = await postJson(proposalsPath, filter);
      if (!answer.ok) {
        showGroupsProblem(answer.body, answer.status);
        return;
      }
      proposed = filter;
      showProposals(answer.body);
    }, () => showGroupsProblem(null, 'nothing (no connection)'));
  });

  groupsForm.addEventListener('input', () => {
    proposed = null;
    proposals.hidden = true;
  });

  function showProposals(plan) {
    const list = byId('proposal-list');
    list.replaceChildren(...plan.groups.map((group) => {
      const item = element('li', undefined, 'campaign');
      item.append(element('p', `${group.members.length} people · ${group.model} · ${group.language} · ${group.meeting}`, 'campaign-title'));
      item.append(element('p', `Convener: ${group.convener.name}${group.convenerVolunteered ? '' : ' (asked: nobody within reach volunteered)'}`));
      item.append(element('p', `Members: ${names(group.members)}`));
      item.append(element('p', `Why: ${group.reasons.join('; ')}`, 'hint'));
      return item;
    }));
    const placed = plan.groups.reduce((sum, group) => sum + group.members.length, 0);
    byId('proposals-summary').textContent = plan.groups.length === 0
      ? (plan.unplaced.length === 0 ? 'No group can form now: nobody free is looking for one.'
        : `No group can form now; ${number.format(plan.unplaced.length)} ${plan.unplaced.length === 1 ? 'person is' : 'people are'} looking for one.`)
      : `${number.format(plan.groups.length)} ${plan.groups.length === 1 ? 'group' : 'groups'} for ${number.format(placed)} people; ${number.format(plan.unplaced.length)} left out.`;
    const unplaced = byId('unplaced-list');
    unplaced.replaceChildren(...plan.unplaced.slice(0, 200).map((u) => element('li', `${u.name}: ${u.reason}`)));
    byId('unplaced').hidden = plan.unplaced.length === 0;
    byId('form-now').hidden = plan.groups.length === 0;
    const form = byId('form-groups');
    form.textContent = plan.groups.length === 1 ? 'Form this group now' : `Form these ${number.format(plan.groups.length)} groups now`;
    proposals.hidden = false;
    byId('proposals-title').focus();
  }

  byId('form-groups').addEventListener('click', async () => {
    if (!proposed) return;
    await whileBusy(byId('form-groups'), async () => {
      const answer = await postJson(groupsPath, proposed);
      if (!answer.ok) {
        proposals.hidden = true;
        showGroupsProblem(answer.body, answer.status);
        return;
      }
      proposed = null;
      proposals.hidden = true;
      const formed = byId('formed');
      const count = answer.body.groups.length;
      formed.textContent = count === 0 ? 'No group could form after all: those people were taken meanwhile.'
        : `${number.format(count)} ${count === 1 ? 'group' : 'groups'} formed: their members are being invited. Follow their answers below.`;
      formed.hidden = false;
      await refreshGroups();
    }, () => showGroupsProblem(null, 'nothing (no connection)'));
  });

  const STATES = { inviting: 'Inviting', formed: 'Formed', 'called-off': 'Called off' };

  function seatText(seat) {
    if (seat.left) return `${seat.name}: left`;
    if (seat.answer === 'no') return `${seat.name}: ${seat.expired ? 'no answer in 7 days' : 'no'}`;
    if (seat.answer === 'yes') return `${seat.name}: yes${seat.memberOnly ? ' (as a member, not convener)' : ''}${seat.met ? `, met: ${seat.met}` : ''}`;
    return `${seat.name}: waiting`;
  }

  async function refreshGroups() {
    const answer = await call(groupsPath);
    if (!answer.ok) return;
    const groups = answer.body.groups;
    byId('no-groups').hidden = groups.length > 0;
    byId('group-list').replaceChildren(...groups.map((group) => {
      const item = element('li', undefined, 'campaign group-state');
      item.dataset.group = group.groupId;
      item.dataset.state = group.state;
      const yes = group.members.filter((m) => m.answer === 'yes' && !m.left).length;
      item.append(element('p', `${STATES[group.state] || group.state} · ${group.model} · ${group.meeting} · ${yes} of ${group.members.length} said yes`, 'campaign-title'));
      item.append(element('p', `Convener: ${group.convener ? group.convener.name : 'none yet (waiting for a willing member who says yes)'}`));
      const seats = element('ul');
      seats.append(...group.members.map((seat) => element('li', seatText(seat))));
      item.append(seats);
      return item;
    }));
  }

  // ---- This week's matching: a dry run, and every suggestion it would make with its reasons, a page at a time ----
  const dryRunButton = byId('dry-run');
  let shownRun = null; // the completed dry run whose pages are shown

  async function dryRun() {
    const status = byId('dry-run-status');
    status.textContent = 'Planning the week…';
    byId('dry-run-result').hidden = true;
    await whileBusy(dryRunButton, async () => {
      const started = await postJson(matchRunsPath, { dryRun: true });
      if (!started.ok) {
        status.textContent = (started.body && started.body.title) || 'The dry run could not start. Try again in a minute.';
        return;
      }
      // A week's plan takes seconds, a large one a minute or two; past ten minutes something went wrong.
      let run;
      for (let waited = 0; waited < 10 * 60 * 1000; waited += POLL_MS) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        run = (await call(`${matchRunsPath}/${encodeURIComponent(started.body.runId)}`)).body;
        if (!run || run.status !== 'running') break;
      }
      if (run && run.status === 'running') {
        status.textContent = 'The dry run is taking unusually long. Try again later.';
        return;
      }
      showDryRun(run);
    }, () => { status.textContent = 'PeerMatch could not be reached. Try again.'; });
  }

  const count = (n, word) => `${number.format(n)} ${n === 1 ? word : word + 's'}`;

  function showDryRun(run) {
    if (!run || run.status !== 'completed') {
      byId('dry-run-status').textContent = `The dry run failed${run && run.error ? `: ${run.error}` : ''}.`;
      return;
    }
    shownRun = run;
    const ranker = !run.model || run.model === 'prior' ? 'the prior (no ranker trained yet)' : run.model;
    byId('dry-run-summary').textContent = run.suggestions === 0
      ? `No suggestion for any of the ${count(run.practitioners, 'practitioner')} this week: the coverage below says why.`
      : `${count(run.suggestions, 'suggestion')} (each goes both ways: ${count(run.suggestions / 2, 'pair')}) for ${count(run.practitioners, 'practitioner')}, ranked by ${ranker}.`;
    byId('dry-run-table').hidden = run.suggestions === 0;
    byId('dry-run-status').textContent = 'The dry run is done.';
    byId('dry-run-rows').replaceChildren(...(run.preview || []).map((s) => {
      const row = element('tr');
      const why = element('td');
      const reasons = element('ul', undefined, 'reasons');
      reasons.append(...s.reasons.map((reason) => element('li', reason)));
      why.append(reasons);
      const peer = element('td', s.peerName);
      if (s.explored) peer.append(element('span', ' (chosen to learn from)', 'hint'));
      row.append(element('td', s.practitionerName), peer, why);
      return row;
    }));
    showPager(run);
    byId('dry-run-result').hidden = false;
  }

  function showPager(run) {
    const pages = run.previewPages || 0;
    byId('dry-run-pager').hidden = pages < 2;
    byId('dry-run-page').textContent = `Page ${number.format(run.previewPage + 1)} of ${number.format(pages)}`;
    byId('dry-run-previous').disabled = run.previewPage === 0;
    byId('dry-run-next').disabled = run.previewPage + 1 >= pages;
  }

  async function turnPage(by) {
    if (!shownRun) return;
    const page = shownRun.previewPage + by;
    const button = byId(by < 0 ? 'dry-run-previous' : 'dry-run-next');
    await whileBusy(button, async () => {
      const answer = await call(`${matchRunsPath}/${encodeURIComponent(shownRun.runId)}?page=${page}`);
      if (answer.ok) {
        showDryRun(answer.body);
        byId('dry-run-table').scrollTop = 0;
      } else {
        byId('dry-run-status').textContent = 'That page could not be read. Try again.';
      }
    }, () => { byId('dry-run-status').textContent = 'PeerMatch could not be reached. Try again.'; });
    showPager(shownRun); // the busy button comes back enabled: the page decides
  }

  byId('dry-run-previous').addEventListener('click', () => turnPage(-1));
  byId('dry-run-next').addEventListener('click', () => turnPage(1));
  dryRunButton.addEventListener('click', dryRun);

  // ---- Coverage: who is not yet served, by country and by model, with the reason most of them share ----
  const GAPS = [
    ['neverSuggested', 'Never suggested'],
    ['neverIntroduced', 'Never introduced'],
    ['seekingAGroupInNone', 'Looking for a peer group, in none'],
  ];
  const regions = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
  const countryName = (code) => {
    try {
      return regions ? `${regions.of(code)} (${code})` : code;
    } catch {
      return code;
    }
  };

  function countsTable(caption, heading, rows, label) {
    const table = element('table');
    table.append(element('caption', caption));
    const head = element('tr');
    for (const text of [heading, 'People', 'Most common reason']) {
      const th = element('th', text);
      th.scope = 'col';
      head.append(th);
    }
    table.append(element('thead'));
    table.tHead.append(head);
    const body = element('tbody');
    body.append(...rows.map((counted) => {
      const row = element('tr');
      const th = element('th', label(counted.key));
      th.scope = 'row';
      row.append(th, element('td', number.format(counted.count), 'number'), element('td', counted.reason));
      return row;
    }));
    table.append(body);
    return table;
  }

  const coverageButton = byId('refresh-coverage');

  async function refreshCoverage() {
    const status = byId('coverage-status');
    status.textContent = 'Counting…';
    await whileBusy(coverageButton, async () => {
      const answer = await call(coveragePath);
      if (!answer.ok) {
        status.textContent = answer.status === 503 && answer.body && answer.body.title === 'Coverage is being counted.'
          ? 'Counting everyone takes a while: coverage is being counted. Try “Count again” in a minute.'
          : 'Coverage could not be counted just now. Try “Count again” in a minute.';
        return;
      }
      showCoverage(answer.body);
      const at = new Date(answer.body.countedAt).toLocaleString('en', { weekday: 'short', hour: '2-digit', minute: '2-digit' });
      status.textContent = answer.body.stale
        ? `As counted ${at}. Counting everyone takes a while: a new count is under way. Try “Count again” in a minute.`
        : `Counted ${at}.`;
    }, () => { status.textContent = 'PeerMatch could not be reached. Try “Count again”.'; });
  }

  function showCoverage(report) {
    consoleEl.querySelector('[data-coverage="confirmed"]').textContent = number.format(report.confirmed);
    for (const [key] of GAPS) {
      consoleEl.querySelector(`[data-coverage="${key}"]`).textContent = number.format(report[key].total);
    }
    byId('coverage-week').textContent = report.lastPlannedWeek
      ? `Why someone was never suggested comes from the plan of week ${report.lastPlannedWeek}.`
      : 'No week has been planned yet: everyone confirmed is waiting for the first weekly plan.';
    byId('coverage-gaps').replaceChildren(...GAPS.map(([key, title]) => {
      const gap = report[key];
      const part = element('div', undefined, 'coverage-gap');
      part.dataset.gap = key;
      part.append(element('h3', `${title}: ${number.format(gap.total)}`));
      if (gap.total === 0) {
        part.append(element('p', 'Nobody.', 'hint'));
      } else {
        part.append(
          countsTable(`${title}, by country`, 'Country', gap.byCountry, countryName),
          countsTable(`${title}, by model`, 'Model', gap.byModel, (model) => modelLabels[model] || model));
      }
      return part;
    }));
  }

  coverageButton.addEventListener('click', refreshCoverage);

  if (sessionStorage.getItem(KEY)) {
    open();
  } else {
    askForKey('');
  }
})();
