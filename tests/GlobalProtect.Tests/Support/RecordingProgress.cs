namespace GlobalProtect.Tests.Support;

/// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class RecordingProgress : IProgress<LoginProgress>
{
    public List<LoginProgress> Reports { get; } = [];

    public IEnumerable<LoginStage> Stages => Reports.Select(r => r.Stage);

    public void Report(LoginProgress value) => Reports.Add(value);
}
