using Micromastery.Hub.Access;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>
/// A hub with owner credentials (as a hash) and one known proxy besides loopback, shared by the access
/// tests. Sign-in throttling is per client address, so each test uses addresses of its own.
/// </summary>
[Starts(Needs.Host)]
public sealed class AccessHub : IAsyncLifetime
{
    public const string Username = "owner";
    public const string Password = "correct horse battery staple";
    public const string KnownProxy = "10.0.0.5";

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Operator:Username"] = Username,
        ["Operator:PasswordHash"] = OwnerPassword.Hash(Password),
        ["Access:KnownProxies:0"] = KnownProxy,
        // Everything the hub does with them is logged, so a leak would show.
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    };

    private DedicatedHub _hub = null!;

    public HubFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        Factory = _hub.Start(Settings);
        _ = Factory.Server; // start it
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AccessCollection : ICollectionFixture<AccessHub>
{
    public const string Name = "hub with owner credentials";
}
