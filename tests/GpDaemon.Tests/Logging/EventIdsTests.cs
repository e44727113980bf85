using System.Reflection;
using GpDaemon.Logging;
using GpTunnel;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Tests.Logging;

/// <summary>
/// The journal's EVENT_ID names one event of the daemon: each assembly takes its ids from its own EventIds table,
/// and no id is used twice across the assemblies the daemon logs from.
/// </summary>
public sealed class EventIdsTests
{
    private static readonly Assembly[] Assemblies = [typeof(EventIds).Assembly, typeof(OpenConnectSupervisor).Assembly];

    [Fact]
    public void Every_log_event_takes_its_id_from_its_assemblys_table()
    {
        foreach (var assembly in Assemblies)
        {
            var table = TableOf(assembly).Values.ToHashSet();
            foreach (var (method, id) in LogEvents(assembly))
            {
                Assert.True(table.Contains(id), $"{method} logs event id {id}, which is not in {assembly.GetName().Name}'s EventIds");
            }
        }
    }

    [Fact]
    public void No_event_id_is_used_twice_across_the_daemons_assemblies()
    {
        var events = Assemblies.SelectMany(LogEvents).ToList();
        var duplicates = events.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void The_tables_share_no_value()
    {
        var values = Assemblies.SelectMany(a => TableOf(a).Select(f => (Assembly: a.GetName().Name, f.Key, f.Value))).ToList();
        var duplicates = values.GroupBy(v => v.Value).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(v => v.Assembly + "." + v.Key))}").ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void The_tables_keep_the_ids_the_journal_documents()
    {
        // Held values: the start-up event (tests and the README's journalctl examples key on it) and GpTunnel's range.
        Assert.Equal(1, EventIds.Starting);
        Assert.All(TableOf(typeof(OpenConnectSupervisor).Assembly).Values, id => Assert.InRange(id, 3000, 3099));
        Assert.All(TableOf(typeof(EventIds).Assembly).Values, id => Assert.False(id is >= 3000 and <= 3099, $"{id} is in GpTunnel's range"));
    }

    private static Dictionary<string, int> TableOf(Assembly assembly)
    {
        var table = assembly.GetTypes().Single(t => t.Name == "EventIds");
        return table.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
    }

    private static IEnumerable<(string Method, int Id)> LogEvents(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select ($"{type.Name}.{method.Name}", attribute.EventId);
}
