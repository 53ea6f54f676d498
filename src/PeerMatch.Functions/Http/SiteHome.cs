namespace PeerMatch.Functions.Http;

/// <summary>Where the site's name in every page's header leads (a feature sets it: the place a visitor starts).</summary>
public sealed record SiteHome(string Path);
