using System.Security.Cryptography;
using System.Text;

namespace PeerMatch.Intake;

public static class EmailAddresses
{
    /// <summary>
    /// The key an address is stored and looked up under: the same for every spelling of it, and no
    /// plain address in a key (indexes, suppressions and unsubscribe links carry this, not the address).
    /// </summary>
    public static string Key(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(IntakeValidator.NormalizeEmail(email))));
}
