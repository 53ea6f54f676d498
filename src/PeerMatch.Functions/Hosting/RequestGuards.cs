using System.Reflection;

namespace PeerMatch.Functions.Hosting;

/// <summary>
/// A check a feature puts in front of some of its HTTP functions (a key, a limit per client): when it refuses, its
/// answer is the response and the function does not run. The gate asks every guard; each decides which functions
/// it guards (usually by an attribute of the feature's own).
/// </summary>
public interface IRequestGuard
{
    IResult? Refuse(HttpContext http, FunctionDescriptor guarded);
}

public static class RequestGuards
{
    /// <summary>Whether the function, or its class, carries <typeparamref name="TAttribute"/>.</summary>
    public static bool Has<TAttribute>(this FunctionDescriptor function) where TAttribute : Attribute =>
        function.Method.GetCustomAttribute<TAttribute>() is not null || function.Method.DeclaringType!.GetCustomAttribute<TAttribute>() is not null;

    /// <summary>
    /// The client a limit counts: standalone, the connection's address. Under the Functions host, the worker's
    /// forwarded-headers step has put here the last X-Forwarded-For hop (the address the platform's front end saw),
    /// trusting only the host on loopback: whatever a client writes further left is never the key.
    /// </summary>
    public static string ClientAddress(this HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
