using System.Net;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Access;

/// <summary>
/// One access model for the whole hub: every endpoint needs the owner unless it is marked
/// <see cref="Public{TBuilder}"/>. The owner is this machine (no proxy in between), a signed-in owner,
/// or an API client with the owner's Basic credentials.
/// </summary>
internal static partial class AccessSetup
{
    public const string DashboardPath = "/hangfire";

    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperatorOptions>()
            .BindConfiguration(OperatorOptions.Section)
            .PostConfigure<IConfiguration>(UseLegacySectionWhenEmpty)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AccessOptions>, ValidateProxies>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<AccessOptions>>((forwarded, access) => TrustProxies(forwarded, access.Value));

        builder.Services.AddSingleton<OwnerPassword>();
        builder.Services.AddSingleton<OwnerSessions>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, OwnerChallenge>();
        builder.Services.AddSingleton<ICommandLineVerb, HashPasswordVerb>();
        builder.Services.AddHostedService<AccessStartupReport>();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "hub_antiforgery";
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddRazorComponents();
        BadInput.Configure(builder.Services);

        // Sign-in cookies outlive a restart and work on every hub of one database: the keys that protect them are in it.
        builder.Services.AddDataProtection().SetApplicationName("Micromastery.Hub");
        DatabaseKeyRepository.AddDatabaseKeys(builder.Services);

        builder.Services.AddAuthentication(OwnerSchemes.Cookie)
            .AddCookie(OwnerSchemes.Cookie, options =>
            {
                options.Cookie.Name = "hub_owner";
                options.Cookie.HttpOnly = true;
                options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromDays(14);
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.ReturnUrlParameter = "returnUrl";
                // Asked on every request with the cookie: the credentials it was issued under, and its session still open
                // in the database (signing out on any hub ends it everywhere; a copied cookie is worthless afterwards).
                options.Events.OnValidatePrincipal = async context =>
                {
                    var services = context.HttpContext.RequestServices;
                    var settings = services.GetRequiredService<IOptionsMonitor<OperatorOptions>>().CurrentValue;
                    if (context.Principal is null || !LoginEndpoints.StampIsCurrent(context.Principal, settings)
                        || !await services.GetRequiredService<OwnerSessions>().IsActiveAsync(LoginEndpoints.SessionOf(context.Principal), context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                    }
                };
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BasicHandler>(OwnerSchemes.Basic, null)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ThisMachineHandler>(OwnerSchemes.ThisMachine, null);

        var owner = new AuthorizationPolicyBuilder(OwnerSchemes.All).RequireAuthenticatedUser().Build();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OwnerSchemes.Policy, owner)
            .SetDefaultPolicy(owner)
            // Private by default: an endpoint that says nothing about access needs the owner.
            .SetFallbackPolicy(owner);
        return builder;
    }

    /// <summary>The access pipeline, in order: who the client really is, headers, routing, the owner check.</summary>
    public static WebApplication UseAccess(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<BadInput>();
        app.UseHsts(); // only over https, and never for localhost
        app.UseStaticFiles(); // public: the stylesheet and other assets
        app.UseRouting();
        app.UseMiddleware<CrossSiteWriteGuard>();
        app.UseWhen(context => !SkipsOwnerSchemes(context.GetEndpoint()), owner =>
        {
            owner.UseAuthentication();
            owner.UseAuthorization();
        });

        // The branch has properties of its own: say on the app that both are in its pipeline, or the host
        // adds them once more in front of routing, where no endpoint is known and every request needs the owner.
        var properties = ((IApplicationBuilder)app).Properties;
        properties[AuthenticationMiddlewareSetKey] = true;
        properties[AuthorizationMiddlewareSetKey] = true;
        app.UseAntiforgery();
        app.UseMiddleware<OwnerFormGuard>();
        return app;
    }

    /// <summary>Marks an endpoint as open to anyone; everything else needs the owner.</summary>
    public static TBuilder Public<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder.AllowAnonymous();

    /// <summary>
    /// Marks a <see cref="Public{TBuilder}"/> endpoint whose requests prove themselves (a provider's webhook
    /// signature) and that never asks who the user is: the owner's schemes are not even tried for it. Any
    /// public endpoint would otherwise still run them on every request — authorization authenticates its
    /// fallback policy (cookie, Basic, this machine) before it lets an anonymous endpoint through.
    /// </summary>
    public static TBuilder PublicSignedByCaller<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Public().WithMetadata(SignedByCaller.Instance);

    /// <summary>
    /// True only for an endpoint marked <see cref="PublicSignedByCaller{TBuilder}"/> that is still anonymous and
    /// asks for no policy: for it, authentication would find nobody it uses and authorization could refuse nothing.
    /// </summary>
    public static bool SkipsOwnerSchemes(Endpoint? endpoint) =>
        endpoint is not null
        && endpoint.Metadata.GetMetadata<SignedByCaller>() is not null
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        && endpoint.Metadata.GetMetadata<IAuthorizeData>() is null
        && endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is null;

    // What UseAuthentication and UseAuthorization set on the builder they are called on (ASP.NET Core's WebApplicationBuilder reads them).
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    /// <summary>Endpoint metadata of <see cref="PublicSignedByCaller{TBuilder}"/>.</summary>
    public sealed class SignedByCaller
    {
        public static readonly SignedByCaller Instance = new();

        private SignedByCaller()
        {
        }
    }

    /// <summary>Hangfire's own check, asking the same model (the owner policy has already run for the endpoint).</summary>
    public static IDashboardAuthorizationFilter DashboardFilter { get; } = new OwnerDashboardFilter();

    private static void UseLegacySectionWhenEmpty(OperatorOptions options, IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(options.Username))
        {
            return;
        }

        var legacy = configuration.GetSection(OperatorOptions.LegacySection);
        if (!string.IsNullOrEmpty(legacy["Username"]))
        {
            options.Username = legacy["Username"];
            options.Password = legacy["Password"];
            options.PasswordHash = legacy["PasswordHash"];
            options.FromLegacySection = true;
        }
    }

    private static void TrustProxies(ForwardedHeadersOptions forwarded, AccessOptions access)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Add(IPAddress.Loopback);
        forwarded.KnownProxies.Add(IPAddress.IPv6Loopback);
        foreach (var proxy in access.KnownProxies)
        {
            forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in access.KnownNetworks)
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }

    private sealed class ValidateProxies : IValidateOptions<AccessOptions>
    {
        public ValidateOptionsResult Validate(string? name, AccessOptions options)
        {
            var errors = options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _)).Select(p => $"Access:KnownProxies: '{p}' is not an IP address")
                .Concat(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)).Select(n => $"Access:KnownNetworks: '{n}' is not a network in CIDR notation (e.g. 172.18.0.0/16)"))
                .ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    private sealed class OwnerDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.Identity?.IsAuthenticated == true;
    }

    /// <summary>Says at start-up how the owner is recognised, so an operator never guesses.</summary>
    private sealed partial class AccessStartupReport(IOptions<OperatorOptions> options, ILogger<AccessStartupReport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var settings = options.Value;
            if (settings.FromLegacySection)
            {
                LogLegacy(logger);
            }

            if (!settings.HasCredentials)
            {
                LogLocalOnly(logger);
            }
            else if (string.IsNullOrEmpty(settings.PasswordHash))
            {
                LogPlainPassword(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard:Username and Dashboard:Password are deprecated and will stop working in the next release: use Operator:Username and Operator:PasswordHash")]
        private static partial void LogLegacy(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "No owner credentials (Operator:Username, Operator:PasswordHash): only requests from this machine, not relayed by a proxy, are the owner")]
        private static partial void LogLocalOnly(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The owner's password is configured in plain text: print a hash with the hash-password verb and set Operator:PasswordHash instead")]
        private static partial void LogPlainPassword(ILogger logger);
    }
}
