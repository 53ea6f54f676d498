using Microsoft.Extensions.Options;
using PeerMatch.Email;
using PeerMatch.Functions.Settings;
using PeerMatch.Practitioners;
using SendGrid;

namespace PeerMatch.Functions.Email;

public static class EmailServices
{
    /// <summary>The e-mail queue, the deliveries record, and SendGrid when it has a key, otherwise .eml files in the outbox folder.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<QueuedEmailScheduler>();
        services.AddSingleton<IEmailScheduler>(sp => sp.GetRequiredService<QueuedEmailScheduler>());
        services.AddSingleton<DeliveryTable>();
        services.AddSingleton<EmailRenderer>();
        services.AddSingleton<IPersonalDataStore>(sp => sp.GetRequiredService<DeliveryTable>());
        if (string.IsNullOrEmpty(configuration["SendGrid:ApiKey"]))
        {
            services.AddSingleton<OutboxEmailSender>();
            services.AddSingleton<IBulkEmailSender>(sp => sp.GetRequiredService<OutboxEmailSender>());
            return services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<OutboxEmailSender>());
        }
        services.AddSingleton<ISendGridClient>(sp =>
        {
            var sendGrid = sp.GetRequiredService<IOptions<SendGridOptions>>().Value;
            return new SendGridClient(new SendGridClientOptions { ApiKey = sendGrid.ApiKey, Host = sendGrid.Host?.AbsoluteUri.TrimEnd('/') ?? "https://api.sendgrid.com" });
        });
        services.AddSingleton<SendGridEmailSender>();
        services.AddSingleton<IBulkEmailSender>(sp => sp.GetRequiredService<SendGridEmailSender>());
        return services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<SendGridEmailSender>());
    }
}
