// Enhancements of the profile form. The form works without them: it posts to a real route and the
// server answers with a page.
(() => {
  const form = document.getElementById('profile-form');
  if (!form) return;
  const byId = (id) => document.getElementById(id);

  // One submit: a second one while the first is on its way (a double click) is dropped, and the
  // button waits for the answer.
  let sending = false;
  form.addEventListener('submit', (event) => {
    if (sending) {
      event.preventDefault();
      return;
    }
    sending = true;
    const button = form.querySelector('button[type=submit]');
    button?.setAttribute('aria-busy', 'true');
    setTimeout(() => { if (button) button.disabled = true; });
  });
  // Back from the history (the page restored as it was): the form may be sent again.
  window.addEventListener('pageshow', () => {
    sending = false;
    const button = form.querySelector('button[type=submit]');
    button?.removeAttribute('aria-busy');
    if (button) button.disabled = false;
  });

  // The browser's time zone, when none is chosen yet.
  const zones = byId('region-timeZone');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zones && !zones.value && [...zones.options].some((o) => o.value === zone)) zones.value = zone;

  // A filter over the long list of languages.
  const filterField = form.querySelector('[data-filter]');
  const filter = byId('languages-filter');
  if (filterField && filter) {
    filterField.hidden = false;
    filter.addEventListener('input', () => {
      const wanted = filter.value.trim().toLowerCase();
      byId('languages-list').querySelectorAll('.choice').forEach((choice) => {
        choice.hidden = wanted !== '' && !choice.textContent.toLowerCase().includes(wanted);
      });
    });
  }

  // The chosen country's states and regions, offered as the region field is typed.
  const country = byId('region-country');
  const names = byId('subdivision-names');
  country?.addEventListener('change', async () => {
    names.replaceChildren();
    if (!country.value) return;
    const response = await fetch(form.dataset.places.replace('{country}', encodeURIComponent(country.value)), { headers: { Accept: 'application/json' } });
    if (!response.ok) return;
    for (const place of await response.json()) {
      const option = document.createElement('option');
      option.value = place.name;
      names.append(option);
    }
  });

  // A form that came back with errors: start at the list of what needs attention.
  byId('error-summary')?.focus();
})();
