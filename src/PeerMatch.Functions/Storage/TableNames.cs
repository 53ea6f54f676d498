using System.Security.Cryptography;
using System.Text;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Storage;

/// <summary>
/// Table layout (each name gets <c>PeerMatch__TablePrefix</c> in front):
/// <list type="bullet">
/// <item><c>Practitioners</c>: PK = practitioner id, RK = "profile". Point reads by id; the weekly run reads them all.</item>
/// <item><c>EmailIndex</c>: PK = SHA-256 of the normalized address, RK = "". Finds a profile by address without a scan.</item>
/// <item><c>Deliveries</c>: PK = practitioner id, RK = e-mail job id. What was sent, so a retried job never sends twice.</item>
/// <item><c>Suppressions</c>: PK = SHA-256 of the address, RK = "". Addresses that unsubscribed.</item>
/// </list>
/// </summary>
public static class TableNames
{
    public const string Practitioners = "Practitioners";
    public const string EmailIndex = "EmailIndex";
    public const string Deliveries = "Deliveries";
    public const string Suppressions = "Suppressions";

    public static readonly IReadOnlyList<string> All = [Practitioners, EmailIndex, Deliveries, Suppressions];

    /// <summary>The key an address is stored under: stable across spellings, and no plain address in a key.</summary>
    public static string EmailKey(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(IntakeValidator.NormalizeEmail(email))));
}
