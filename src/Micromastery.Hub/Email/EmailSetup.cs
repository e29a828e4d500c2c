using Hangfire;
using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Stack;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Micromastery.Hub.Email;

internal static partial class EmailSetup
{
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) => options.To.AddRange(EmailOptions.SplitRecipients(configuration[$"{EmailOptions.Section}:To"])))
            .ValidateDataAnnotations()
            .Validate(o => Schedule.Problem(o.Schedule) is null, "Email:Schedule is not a valid schedule: a 5-field cron that runs at most once a minute (e.g. '0 8 * * 1' for Monday 08:00)")
            .Validate(o => o.From is null || MailboxAddress.TryParse(o.From, out _), "Email:From is not an email address")
            .Validate(o => o.To.All(to => MailboxAddress.TryParse(to, out _)), "Email:To holds something that is not an email address")
            .ValidateOnStart();
        builder.Services.AddSingleton<WeeklySendLedger>();
        builder.Services.AddSingleton<IMailTransport, MailKitTransport>();
        builder.Services.AddSingleton<WeeklyEmailRenderer>();
        builder.Services.AddSingleton<WeeklySender>();
        builder.Services.AddTransient<WeeklyEmailJob>();
        builder.Services.AddTransient<WeeklySendNow>();
        builder.Services.AddSingleton<IConfigurationProbe, SmtpProbe>();
        builder.Services.AddHostedService<WeeklyEmailSchedule>();
        return builder;
    }
}
