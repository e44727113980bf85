using System.Threading.Channels;

namespace GpTunnel.Tests.Support;

internal static class EventReader
{
    // Only a guard against hanging forever; the tests never assert on durations.
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A token for one call that must not hang the run (the same guard as <see cref="Patience"/>).</summary>
    public static CancellationToken Deadline() => new CancellationTokenSource(Patience).Token;

    /// <summary>Reads events until one of type <typeparamref name="T"/>; returns it with everything read before it.</summary>
    public static async Task<(T Event, List<TunnelEvent> Before)> ReadUntilAsync<T>(ChannelReader<TunnelEvent> events)
        where T : TunnelEvent
    {
        using var timeout = new CancellationTokenSource(Patience);
        var before = new List<TunnelEvent>();
        await foreach (var tunnelEvent in events.ReadAllAsync(timeout.Token))
        {
            if (tunnelEvent is T match)
            {
                return (match, before);
            }

            before.Add(tunnelEvent);
        }
        throw new InvalidOperationException(
            $"The events ended without {typeof(T).Name}; saw: {string.Join(", ", before)}");
    }

    public static async Task<List<TunnelEvent>> ReadAllAsync(ChannelReader<TunnelEvent> events)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var all = new List<TunnelEvent>();
        await foreach (var tunnelEvent in events.ReadAllAsync(timeout.Token))
        {
            all.Add(tunnelEvent);
        }

        return all;
    }
}
