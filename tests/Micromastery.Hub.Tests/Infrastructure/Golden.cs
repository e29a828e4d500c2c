namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>Compares output with a reviewed file under Fixtures/golden; HUB_UPDATE_GOLDEN=1 rewrites it for review.</summary>
public static class Golden
{
    public static void Match(string name, string actual)
    {
        var expectedPath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden", name);
        if (System.Environment.GetEnvironmentVariable("HUB_UPDATE_GOLDEN") == "1")
        {
            var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures", "golden", name));
            File.WriteAllText(source, actual);
            Directory.CreateDirectory(Path.GetDirectoryName(expectedPath)!);
            File.WriteAllText(expectedPath, actual);
        }

        Assert.True(File.Exists(expectedPath), $"no golden file {name}: run with HUB_UPDATE_GOLDEN=1, review Fixtures/golden/{name} and commit it");
        Assert.Equal(File.ReadAllText(expectedPath).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }
}
