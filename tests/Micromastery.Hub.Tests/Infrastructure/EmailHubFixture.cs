using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>A hub that sends its weekly email to its own maildev, with a template override folder tests may write into.</summary>
public abstract class EmailHubFixture : HubFixture, IDisposable
{
    public const string From = "Micromastery Hub <hub@example.test>";
    public static readonly string[] To = ["solo@example.test", "Coach <coach@example.test>"];

    protected EmailHubFixture(StorageProvider provider) : base(provider)
    {
        MailDev = MailDevServer.Start();
        OverrideFolder = Directory.CreateTempSubdirectory("hub-templates-").FullName;
    }

    public MailDevServer MailDev { get; }

    /// <summary>Templates:OverridePath of this hub; tests that write here delete their files afterwards.</summary>
    public string OverrideFolder { get; }

    public IReadOnlyDictionary<string, string?> EmailSettings => Settings;

    protected override IReadOnlyDictionary<string, string?> Settings => SettingsFor(MailDev, OverrideFolder);

    /// <summary>Email settings that send to <paramref name="mailDev"/> from <see cref="From"/> to <see cref="To"/>, with a template override folder.</summary>
    public static Dictionary<string, string?> SettingsFor(MailDevServer mailDev, string overrideFolder) => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = mailDev.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
        ["Email:From"] = From,
        ["Email:To:0"] = To[0],
        ["Email:To:1"] = To[1],
        ["Templates:OverridePath"] = overrideFolder,
    };

    public void Dispose()
    {
        MailDev.Dispose();
        try
        {
            Directory.Delete(OverrideFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class EmailSqliteHub() : EmailHubFixture(StorageProvider.Sqlite);

[Starts(Needs.Postgres)]
public sealed class EmailPostgresHub() : EmailHubFixture(StorageProvider.Postgres);

[CollectionDefinition(Name)]
public sealed class EmailSqliteCollection : ICollectionFixture<EmailSqliteHub>
{
    public const string Name = "email hub on SQLite";
}

[CollectionDefinition(Name)]
public sealed class EmailPostgresCollection : ICollectionFixture<EmailPostgresHub>
{
    public const string Name = "email hub on PostgreSQL";
}
