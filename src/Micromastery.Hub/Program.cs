using Micromastery.Hub.Access;
using Micromastery.Hub.CaseStudies;
using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Connections;
using Micromastery.Hub.Email;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Practice;
using Micromastery.Hub.Providers;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;
using Micromastery.Hub.Ui;
using Micromastery.Hub.Webhooks;

// With a verb (init, config, check, render) the executable is the command line; without one it is the hub.
var isCommand = HubCommandLine.IsCommand(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = isCommand ? [] : args,
    WebRootPath = HubPaths.WebRoot(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory),
});

// The documented default address; --urls and ASPNETCORE_URLS still win.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://localhost:5080");
}

if (isCommand)
{
    // A verb prints its own output; the hub's informational logging would interleave with it.
    // (SetMinimumLevel alone loses to the Logging section of appsettings.json.)
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
}

Program.AddServices(builder);

var app = builder.Build();

if (isCommand)
{
    return await HubCommandLine.RunAsync(app, args);
}

app.UseProblems();
app.UseAccess();
app.UsePublicLimits();

app.MapHealth();
app.MapFavicon();
app.MapLogin();
app.MapWebhooks();
app.MapCatalog();
app.MapStackReport();
app.MapPayoffs();
app.MapPractice();
app.MapEmail();
app.MapCaseStudies();
app.MapPublicPage();
app.MapJobsDashboard();
app.MapStackPage();
app.MapMicromasteryPages();
app.MapInboxPages();
app.MapEmailPage();
app.MapConnections();

await app.RunAsync();
return 0;

/// <summary>Entry point; public for the integration tests' WebApplicationFactory.</summary>
public partial class Program
{
    /// <summary>
    /// The hub's services: one line per feature, one <c>AddProvider</c> line per external service. The tests' host-free
    /// services compose this same list, so a provider added here is there too.
    /// </summary>
    internal static void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddProblems();
        builder.AddStorage();
        builder.AddStack();
        builder.AddPayoffs();
        builder.AddPractice();
        builder.AddWebhookInbox();
        builder.AddProvider<Micromastery.Hub.Stripe.StripeProvider>();
        builder.AddProvider<Micromastery.Hub.GitHub.GitHubProvider>();
        builder.AddProvider<Micromastery.Hub.CalCom.CalComProvider>();
        builder.AddProvider<Micromastery.Hub.Newsletter.NewsletterProvider>();
        builder.AddProvider<Micromastery.Hub.LandingPage.LandingPageProvider>();
        builder.AddProvider<Micromastery.Hub.LemonSqueezy.LemonSqueezyProvider>();
        builder.AddTemplates();
        builder.AddEmail();
        builder.AddCaseStudies();
        builder.AddPublicPage();
        builder.AddAccess();
        builder.AddConnections();
        builder.AddCommandLine();
        builder.AddJobs();
    }
}
