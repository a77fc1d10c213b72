using System.Security.Cryptography;
using System.Text;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Notifications.Webhooks;
using Serverless.Time;

namespace Serverless.Notifications;

/// <summary>
/// After people were told in their inboxes, the chat channels of their agencies hear that there is something new
/// (never what: a channel reaches the agency's whole staff room). One webhook event per agency per event, under an id
/// fixed by the event, so a run repeated after a crash gives each webhook delivery the same <c>webhook-id</c>.
/// </summary>
public sealed class AgencyChannels(WebhookDispatcher webhooks, PeopleDirectory people, TimeProvider clock)
{
    /// <param name="eventKey">What the event is, for its opaque id only (hashed: the id says nothing of a case).</param>
    public async Task TellAgenciesAsync(IEnumerable<string> agencyIds, string eventKey, string kind, bool urgent, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await webhooks.EnqueueAsync(agencyIds, new WebhookEvent(EventId(eventKey), kind, urgent, at), cancellationToken);
    }

    /// <summary>As <see cref="TellAgenciesAsync"/>, for the agencies of these people's memberships of the day.</summary>
    public async Task TellAgenciesOfAsync(IReadOnlyCollection<string> personIds, string eventKey, string kind, bool urgent, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (personIds.Count == 0)
        {
            return;
        }

        var today = JapanTime.Today(clock);
        var told = personIds.ToHashSet(StringComparer.Ordinal);
        var agencies = (await people.AllAsync(cancellationToken))
            .Where(person => told.Contains(person.Profile.PersonId))
            .SelectMany(person => person.Memberships)
            .Where(membership => membership.IsActiveOn(today) && membership.Role is CallerRole.Coordinator or CallerRole.Member)
            .Select(membership => membership.AgencyId);
        await TellAgenciesAsync(agencies, eventKey, kind, urgent, at, cancellationToken);
    }

    /// <summary>"ev_" and 32 hex characters of a hash of the event: stable per event, opaque.</summary>
    public static string EventId(string eventKey)
        => "ev_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("webhook-event\n" + eventKey)))[..32];
}
