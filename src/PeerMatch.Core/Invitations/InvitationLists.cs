using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using PeerMatch.Intake;
using PeerMatch.Practitioners;
using PeerMatch.Validation;

namespace PeerMatch.Invitations;

/// <summary>One row of an organizer's list as given: its number (as a spreadsheet counts them, or the place in a JSON array), address and name.</summary>
public sealed record InvitationRow(int Row, string? Email, string? Name);

/// <summary>Someone to invite: the normalised address, the name to greet them by ("" when none), and the address's key.</summary>
public sealed record Invitee(string Email, string Name, string Key);

/// <summary>A row that cannot be invited, with why.</summary>
public sealed record InvalidRow(int Row, string Email, string Reason);

/// <summary>A list sorted out: each address once, how many repeated an earlier row, and the rows refused.</summary>
public sealed record SortedInvitations(IReadOnlyList<Invitee> Invitees, int Duplicates, IReadOnlyList<InvalidRow> Invalid);

/// <summary>Reads organizers' lists (CSV or JSON rows) and sorts them into invitees, duplicates and invalid rows.</summary>
public static class InvitationLists
{
    public const int MaxRecipients = 10_000;
    public const int NameMaxLength = 100;

    /// <summary>
    /// Normalises and validates every row; an address that comes again (in any spelling) counts as a duplicate
    /// and keeps the first row's name.
    /// </summary>
    public static SortedInvitations Sort(IEnumerable<InvitationRow> rows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var invitees = new List<Invitee>();
        var invalid = new List<InvalidRow>();
        var duplicates = 0;
        foreach (var row in rows)
        {
            if (Reason(row) is { } reason)
            {
                invalid.Add(new InvalidRow(row.Row, Shown(row.Email), reason));
                continue;
            }
            var email = EmailAddresses.Normalize(row.Email!);
            var key = EmailAddresses.Key(email);
            if (!seen.Add(key))
            {
                duplicates++;
                continue;
            }
            invitees.Add(new Invitee(email, row.Name?.Trim() ?? "", key));
        }
        return new SortedInvitations(invitees, duplicates, invalid);
    }

    private static string? Reason(InvitationRow row)
    {
        if (string.IsNullOrWhiteSpace(row.Email))
        {
            return "No e-mail address.";
        }
        var errors = new ValidationErrors();
        if (IntakeValidator.Email(row.Email, errors) is null)
        {
            return "Not a valid e-mail address.";
        }
        return IntakeValidator.Name(row.Name, "name", NameMaxLength, required: false, errors) is null && errors.Has("name")
            ? $"The name is not usable: at most {NameMaxLength} characters, on one line, with a letter and no control or invisible characters."
            : null;
    }

    /// <summary>The address as given, cut to a sensible length, to name the row in the answer.</summary>
    private static string Shown(string? email)
    {
        var text = email?.Trim() ?? "";
        return text.Length > IntakeValidator.EmailMaxLength ? text[..IntakeValidator.EmailMaxLength] : text;
    }

    /// <summary>
    /// Reads a CSV list with a header row naming an <c>email</c> column and, optionally, a <c>name</c> column (in any
    /// case and order, other columns ignored). Quoted fields, a byte-order mark, CRLF or LF, and spaces around
    /// fields are all read as a spreadsheet writes them; a cell that looks like a formula is kept as text.
    /// Null with a <paramref name="problem"/> when the list cannot be read as a whole.
    /// </summary>
    public static IReadOnlyList<InvitationRow>? ReadCsv(TextReader text, out string? problem)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            MissingFieldFound = null,
            BadDataFound = null,
            HeaderValidated = null,
            DetectColumnCountChanges = false,
        };
        using var csv = new CsvReader(text, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            problem = "The list is empty: it needs a header row (email,name) and a row per person.";
            return null;
        }
        var columns = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var emailColumn = columns.IndexOf("email");
        var nameColumn = columns.IndexOf("name");
        if (emailColumn < 0)
        {
            problem = "The header row must name an \"email\" column (and may name a \"name\" column).";
            return null;
        }
        var rows = new List<InvitationRow>();
        while (csv.Read())
        {
            if (rows.Count == MaxRecipients)
            {
                problem = $"At most {MaxRecipients:N0} recipients in one request.";
                return null;
            }
            rows.Add(new InvitationRow(csv.Parser.Row, csv.TryGetField<string>(emailColumn, out var email) ? email : null,
                nameColumn >= 0 && csv.TryGetField<string>(nameColumn, out var name) ? name : null));
        }
        problem = null;
        return rows;
    }
}
