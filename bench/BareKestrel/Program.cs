var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/webhooks/stripe", () => Results.Ok());
app.Run();
