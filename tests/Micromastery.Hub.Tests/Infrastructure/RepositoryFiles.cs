namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from, such as the npm tools the test build installs.</summary>
public static class RepositoryFiles
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no package.json above {AppContext.BaseDirectory}: cannot find the repository root");
    }
}
