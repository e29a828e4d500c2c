using Micromastery.Hub.Dashboard;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;
using Micromastery.Hub.Webhooks;

var builder = WebApplication.CreateBuilder(args);

// The documented default address; --urls and ASPNETCORE_URLS still win.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://localhost:5080");
}

builder.AddStorage();
builder.AddStack();
builder.AddPayoffs();
builder.AddWebhookInbox();
builder.AddStripe();
builder.AddOperatorAccess();
builder.AddJobs();
builder.AddStartupJobs();

var app = builder.Build();

app.MapHealthChecks("/health", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.MapWebhooks();
app.MapStack();
app.MapPayoffs();
app.MapOperatorDashboard();

app.Run();

/// <summary>Entry point; public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
