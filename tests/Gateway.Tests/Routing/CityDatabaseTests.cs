using System.Net;
using Gateway.Routing.Clients;

namespace Gateway.Tests.Routing;

public class CityDatabaseTests
{
    private static CityDatabase Parse(params string[] lines)
    {
        var errors = new List<string>();
        var database = CityDatabase.Parse(lines, "'cities.csv'", errors);
        errors.Should().BeEmpty();
        return database!;
    }

    [Theory]
    [InlineData("1.0.0.0", "a,p,cn")]
    [InlineData("1.0.0.255", "a,p,cn")]
    [InlineData("1.0.1.0", null)]
    [InlineData("1.0.2.0", "b,p,cn")]
    [InlineData("1.0.3.255", "b,p,cn")]
    [InlineData("0.255.255.255", null)]
    [InlineData("255.255.255.255", "c,q,us")]
    [InlineData("2001:db8::1", "d,r,de")]
    [InlineData("2001:db9::", null)]
    public void Find_BinarySearchHonoursInclusiveBoundsAndGaps(string address, string? expected)
    {
        var database = Parse(
            "start_ip,end_ip,city,province,country",
            "1.0.2.0,1.0.3.255,b,p,cn",
            "1.0.0.0,1.0.0.255,a,p,cn",
            "255.255.255.0,255.255.255.255,c,q,us",
            "2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,d,r,de");

        database.Find(IPAddress.Parse(address)).Should().Be(expected);
    }

    [Fact]
    public void Parse_BadLines_ReportsEachWithItsLineNumber()
    {
        var errors = new List<string>();

        var database = CityDatabase.Parse(
            ["# comment", "1.0.0.0,1.0.0.9,a,p", "1.0.0.0,x,a,p,cn", "1.0.1.9,1.0.1.0,a,p,cn", "1.0.2.0,1.0.2.9,a,p,cn", "1.0.2.5,1.0.3.0,b,p,cn", "1.0.0.0,::1,a,p,cn", "y,1.0.0.0,a,p,cn"],
            "'cities.csv'",
            errors);

        database.Should().BeNull();
        errors.Should().BeEquivalentTo(
            "'cities.csv' line 2: expected 5 fields (start_ip,end_ip,city,province,country), found 4",
            "'cities.csv' line 3, field 2 (end_ip): not an IP address",
            "'cities.csv' line 4: start_ip is after end_ip",
            "'cities.csv' line 7: start_ip and end_ip are of different address families",
            "'cities.csv' line 8, field 1 (start_ip): not an IP address",
            "'cities.csv' line 6: range overlaps the range on line 5");
    }

    [Fact]
    public void Load_ShippedSample_IsValid()
    {
        var errors = new List<string>();

        var database = CityDatabase.Load(Support.TestData.CitiesSample, errors);

        errors.Should().BeEmpty();
        database!.Count.Should().Be(6);
        database.Find(IPAddress.Parse("192.0.2.1")).Should().Be("guangzhou,guangdong,cn");
    }
}
