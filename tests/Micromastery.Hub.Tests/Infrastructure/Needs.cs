namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// What a test class needs beyond the process it runs in, as the xunit trait <c>Category</c>: one value per class,
/// so that <c>--filter "Category!=Host&amp;Category!=Postgres&amp;Category!=Browser"</c> (the fast loop) leaves out
/// every slow class. A class with no mark needs nothing: no hub, no PostgreSQL, no browser.
/// <see cref="TestCategoryGuardTests"/> fails when a class starts one of them without its mark, or keeps a mark it no
/// longer needs.
/// </summary>
public static class Needs
{
    public const string Key = "Category";

    /// <summary>Starts a hub: the in-process test server, Kestrel, or the hub's executable.</summary>
    public const string Host = "Host";

    /// <summary>Needs a PostgreSQL server (started by <see cref="PostgresServer"/>), usually a hub on it too.</summary>
    public const string Postgres = "Postgres";

    /// <summary>Drives Chromium through Playwright, against a hub on Kestrel.</summary>
    public const string Browser = "Browser";

    /// <summary>For <see cref="StartsAttribute"/> only: a helper that starts a process which is none of these (maildev).</summary>
    public const string Nothing = "";
}

/// <summary>What a fixture starts, declared on the fixture type (and inherited), for the guard to ask instead of guess.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class StartsAttribute(string need) : Attribute
{
    public string Need { get; } = need;
}
