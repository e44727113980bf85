namespace GpDaemon.Control;

/// <summary>One connection's place with <see cref="ConnectionLimits"/>: admitted at once, or waiting for a slot.</summary>
internal sealed class AdmissionTicket(uint uid, PeerRank rank)
{
    private readonly TaskCompletionSource<bool> _admitted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public uint Uid { get; } = uid;

    public PeerRank Rank { get; } = rank;

    /// <summary>True once the connection may be served; false when it gave up waiting.</summary>
    public Task<bool> Admitted => _admitted.Task;

    /// <summary>Its place in the waiting line (guarded by the limits' lock), null when not waiting.</summary>
    internal LinkedListNode<AdmissionTicket>? Node { get; set; }

    internal void Complete(bool admitted) => _admitted.TrySetResult(admitted);
}
