namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// Where a browser test saves a page's screenshot: the test output's <c>screenshots/</c> folder (an artifact of
/// every run), or the repository's <c>docs/screenshots/</c> when HUB_UPDATE_SCREENSHOTS=1 — like the golden
/// files, the committed pictures change only when someone means them to.
/// </summary>
public static class Screenshots
{
    public static string PathFor(string name)
    {
        var folder = Environment.GetEnvironmentVariable("HUB_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryFiles.Root(), "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        return Path.Combine(Directory.CreateDirectory(folder).FullName, name);
    }
}
