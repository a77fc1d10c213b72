using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Serverless.Entries;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Notifications;

/// <summary>Inbox requests over <see cref="CaseApi"/>, and the entry-events queue handled as the EntryAdded function would.</summary>
internal static class NotificationApi
{
    public static QueueClient EntryEventQueue(TestHost host) => new(TestStorage.ConnectionString, host.Names.Queue(EntryEvents.Queue));

    /// <summary>Handles every queued entry event, as the EntryAdded function does, and deletes it. Returns how many.</summary>
    public static async Task<int> DeliverQueuedAsync(this CaseApi api)
    {
        var queue = EntryEventQueue(api.Host);
        var handled = 0;
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(32)).Value;
            if (messages.Length == 0)
            {
                return handled;
            }

            foreach (var message in messages)
            {
                await api.Host.Get<EntryEvents>().HandleAsync(Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())), CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                handled++;
            }
        }
    }

    /// <summary>The queued messages' texts, left in the queue.</summary>
    public static async Task<IReadOnlyList<string>> QueuedEventsAsync(this CaseApi api)
        => [.. (await EntryEventQueue(api.Host).PeekMessagesAsync(32)).Value.Select(message => Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())))];

    public static Task<HttpResponseMessage> ListInboxAsync(this CaseApi api, string person, string query = "")
        => api.SendAsync(HttpMethod.Get, "api/notifications" + query, person);

    /// <summary>A person's inbox (first 100), asserting 200.</summary>
    public static async Task<JsonArray> InboxAsync(this CaseApi api, string person, string query = "?pageSize=100")
    {
        using var response = await api.ListInboxAsync(person, query);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["notifications"]!.AsArray();
    }

    /// <summary>The notifications in a person's inbox about one entry.</summary>
    public static async Task<List<JsonNode>> AboutAsync(this CaseApi api, string person, string entryId)
        => [.. (await api.InboxAsync(person)).Where(item => (string?)item!["entryId"] == entryId).Select(item => item!)];

    public static async Task<int> UnreadCountAsync(this CaseApi api, string person)
    {
        using var response = await api.SendAsync(HttpMethod.Get, "api/notifications/unread-count", person);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return (int)body["unread"]!;
    }
}
