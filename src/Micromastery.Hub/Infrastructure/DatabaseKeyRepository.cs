using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Keeps the data-protection key ring (sign-in cookies, antiforgery tokens) in the hub's own database, so every hub
/// on one PostgreSQL reads the same keys, and keys outlive a container with the data they protect. Keys a SQLite
/// hub kept in its data folder before are still read, so an upgrade signs no one out.
/// </summary>
internal sealed class DatabaseKeyRepository(HubDatabase database, string legacyFolder) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        var stored = connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY name").Select(x => XElement.Parse(x)).ToList();
        var known = stored.Select(IdOf).ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(legacyFolder))
        {
            stored.AddRange(Directory.EnumerateFiles(legacyFolder, "*.xml").Select(f => XElement.Load(f)).Where(e => !known.Contains(IdOf(e))));
        }

        return stored;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        connection.Execute("INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }

    private static string IdOf(XElement key) => key.Attribute("id")?.Value ?? key.ToString();

    /// <summary>Points data protection at the database; runs after the schema is migrated, since keys are first read on the first request.</summary>
    public static IServiceCollection AddDatabaseKeys(IServiceCollection services)
    {
        services.AddOptions<KeyManagementOptions>().Configure<HubDatabase, IOptions<StorageOptions>, IHostEnvironment>((keys, database, storage, host) =>
            keys.XmlRepository = new DatabaseKeyRepository(database, Path.Combine(host.ContentRootPath, storage.Value.DataDirectory, "keys")));
        return services;
    }
}
