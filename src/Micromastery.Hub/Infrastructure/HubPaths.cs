namespace Micromastery.Hub.Infrastructure;

/// <summary>Where the hub finds what it ships with, whatever folder it is started from.</summary>
internal static class HubPaths
{
    /// <summary>
    /// The static files' folder: <c>wwwroot</c> under the content root (the working directory, or the project under
    /// <c>dotnet run</c>) when there is one, else the one published beside the executable — so
    /// <c>dotnet /srv/hub/Micromastery.Hub.dll</c> started from any folder still serves its stylesheet. Null leaves
    /// the default (and an explicit <c>--webroot</c> or <c>ASPNETCORE_WEBROOT</c> always wins).
    /// </summary>
    public static string? WebRoot(string[] args, string contentRoot, string executableFolder)
    {
        if (args.Any(a => a.StartsWith("--webroot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_WEBROOT"))
            || Directory.Exists(Path.Combine(contentRoot, "wwwroot")))
        {
            return null;
        }

        var beside = Path.Combine(executableFolder, "wwwroot");
        return Directory.Exists(beside) ? beside : null;
    }
}
