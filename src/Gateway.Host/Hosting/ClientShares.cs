using System.Net;
using Gateway.Routing.Clients;

namespace Gateway.Host.Hosting;

/// <summary>
/// The places each client holds (proxied requests in flight, or public connections), so that one client cannot hold
/// every place of a budget. Clients are counted in a fixed table of slots, by a hash of their address seeded anew in each process: taking and
/// giving back a place allocates nothing, and no entry is ever added or removed. Two clients in one slot share its
/// cap; with 65,536 slots and a seed no one outside the process knows, a client cannot aim at another's slot. An IPv6
/// client counts by its /64 prefix, which one host usually has whole; an IPv4 address mapped to IPv6 as the IPv4 one.
/// </summary>
internal sealed class ClientShares(long cap, RejectionCount rejections, Action<IPAddress, long, long> warn)
{
    public const int Slots = 65_536;

    private readonly int[] _inFlight = new int[Slots];

    /// <summary>Places one client may hold.</summary>
    public long Cap => cap;

    /// <summary>Places refused since start because their client held its share.</summary>
    public long Rejected => rejections.Total;

    /// <summary>
    /// Counts a place of <paramref name="client"/>; false, counting nothing, when its slot holds the cap already (then
    /// <paramref name="warn"/> writes the client as users write it, an IPv4 client of a dual-stack listener as
    /// <c>a.b.c.d</c>, with the cap and the refusals since the last warning, when one is due).
    /// </summary>
    /// <param name="slot">The slot to give back to <see cref="Exit"/>; -1 for no client address (not counted).</param>
    public bool TryEnter(IPAddress? client, out int slot)
    {
        if (client is null)
        {
            slot = -1;
            return true;
        }

        slot = SlotOf(client);
        if (Interlocked.Increment(ref _inFlight[slot]) <= cap)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight[slot]);
        if (rejections.Add() is { } rejected)
        {
            warn(ClientAddress.Normalize(client), cap, rejected);
        }

        return false;
    }

    public void Exit(int slot)
    {
        if (slot >= 0)
        {
            Interlocked.Decrement(ref _inFlight[slot]);
        }
    }

    /// <summary>The client's slot: an IPv4 address (mapped to IPv6 too) by itself, an IPv6 address by its /64.</summary>
    private static int SlotOf(IPAddress address)
    {
        var key = AddressKey.Of(address);
        var hash = new HashCode(); // seeded per process
        hash.Add(key.IsV4 ? (ulong)key.Value : (ulong)(key.Value >> 64));
        hash.Add(key.IsV4);
        return hash.ToHashCode() & (Slots - 1);
    }
}
