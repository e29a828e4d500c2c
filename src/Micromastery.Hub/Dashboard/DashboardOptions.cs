namespace Micromastery.Hub.Dashboard;

/// <summary>Credentials for operators who reach the hub from another machine.</summary>
public sealed class OperatorOptions
{
    public const string Section = "Dashboard";

    /// <summary>Basic-auth user name for remote access to /hangfire and the operator API; unset = local requests only.</summary>
    public string? Username { get; set; }

    /// <summary>Basic-auth password (set it with user secrets or an environment variable, never in a committed file).</summary>
    public string? Password { get; set; }
}
