using System.Text;
using System.Text.Json;
using Gateway.Host.Config;
using Gateway.Routing.Config;

namespace Gateway.Tests.Host;

/// <summary>What the reuse of routes, clusters and lane groups keeps of each entry.</summary>
public class ConfigEntriesTests
{
    private const int Entries = 200;

    private static readonly object Read = new();

    /// <summary>
    /// A grow to thousands of routes leaves every entry's bookkeeping for the collector to promote: a copy of each
    /// entry's text kept for the next comparison was one more object per entry, as large as its JSON. Counted in
    /// allocated bytes on this thread, which does not depend on timing or on other tests.
    /// </summary>
    [Fact]
    public void Next_EntriesWithLongText_KeepsNoCopyOfTheText()
    {
        using var shortText = Section(padding: 10);
        using var longText = Section(padding: 4_000);
        Next(shortText);
        Next(longText);

        var shortBytes = Allocated(() => Next(shortText));
        var longBytes = Allocated(() => Next(longText));

        (longBytes - shortBytes).Should().BeLessThan(Entries * 100, "entries 4 KB longer each must cost no more to keep (a copy would be {0} KB)", Entries * 4);
    }

    [Fact]
    public void Next_OneEntryEdited_OnlyThatOneReadAnew()
    {
        using var first = Section(padding: 10);
        using var edited = Section(padding: 10, editIndex: 7);
        var entries = Next(first);

        var next = entries.Next(edited.RootElement, "Routes", "ids", new ConfigReader([]), (_, _, _) => new object());

        next.ReadAnew.Should().Be(1);
        next.Items.Count(item => ReferenceEquals(item, Read)).Should().Be(Entries - 1);
    }

    private static ConfigEntries<object> Next(JsonDocument section) =>
        ConfigEntries<object>.Empty.Next(section.RootElement, "Routes", "ids", new ConfigReader([]), (_, _, _) => Read);

    private static JsonDocument Section(int padding, int editIndex = -1)
    {
        var json = new StringBuilder("{");
        for (var i = 0; i < Entries; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("\"r").Append(i).Append("\": { \"Padding\": \"").Append(i == editIndex ? 'y' : 'x', padding).Append("\" }");
        }

        return JsonDocument.Parse(json.Append('}').ToString());
    }

    private static long Allocated(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
