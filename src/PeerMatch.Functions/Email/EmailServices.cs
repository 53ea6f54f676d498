using Microsoft.Extensions.Options;
using PeerMatch.Email;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Settings;
using PeerMatch.Intake;
using SendGrid;

namespace PeerMatch.Functions.Email;

public static class EmailServices
{
    /// <summary>The e-mail queue and its worker; SendGrid when it has a key, otherwise .eml files in the outbox folder.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<EmailJobScheduler>();
        services.AddSingleton<IEmailScheduler>(sp => sp.GetRequiredService<EmailJobScheduler>());
        services.AddInvokedFunction<SendEmailFunction>(SendEmailFunction.Name);
        if (string.IsNullOrEmpty(configuration["SendGrid:ApiKey"]))
        {
            services.AddSingleton<IEmailSender, OutboxEmailSender>();
            return services;
        }
        services.AddSingleton<ISendGridClient>(sp =>
        {
            var sendGrid = sp.GetRequiredService<IOptions<SendGridOptions>>().Value;
            return new SendGridClient(new SendGridClientOptions { ApiKey = sendGrid.ApiKey, Host = sendGrid.Host?.AbsoluteUri.TrimEnd('/') ?? "https://api.sendgrid.com" });
        });
        services.AddSingleton<IEmailSender, SendGridEmailSender>();
        return services;
    }
}
