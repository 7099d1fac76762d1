using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Gateway.Host.Diagnostics;

/// <summary>
/// Writes OpenTelemetry metrics in the Prometheus text exposition format 0.0.4: dots become underscores, the unit
/// <c>s</c> adds <c>_seconds</c>, counters end in <c>_total</c>; histograms become cumulative <c>_bucket</c> series
/// with <c>le</c>, plus <c>_sum</c> and <c>_count</c>.
/// </summary>
internal static class PrometheusTextWriter
{
    /// <summary>Writes one family: metrics sharing a Prometheus name (those of another type than the first are left out).</summary>
    public static void Write(StringBuilder text, IReadOnlyList<Metric> family)
    {
        var first = family[0];
        var (type, suffix) = TypeOf(first);
        if (type is null)
        {
            return;
        }

        var name = Name(first.Name, first.Unit) + suffix;
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(first.Description)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var metric in family)
        {
            if (TypeOf(metric).Type == type)
            {
                WriteSamples(text, name, metric);
            }
        }
    }

    private static (string? Type, string Suffix) TypeOf(Metric metric) => metric.MetricType switch
        {
            MetricType.LongSum or MetricType.DoubleSum => ("counter", "_total"),
            MetricType.Histogram => ("histogram", ""),
            MetricType.LongGauge or MetricType.DoubleGauge or MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic => ("gauge", ""),
            _ => (null, ""),
        };

    private static void WriteSamples(StringBuilder text, string name, Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            if (metric.MetricType == MetricType.Histogram)
            {
                WriteHistogram(text, name, point);
                continue;
            }

            text.Append(name);
            WriteLabels(text, point.Tags, null);
            text.Append(' ');
            switch (metric.MetricType)
            {
                case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                    text.Append(point.GetSumLong().ToString(CultureInfo.InvariantCulture));
                    break;
                case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                    text.Append(Number(point.GetSumDouble()));
                    break;
                case MetricType.LongGauge:
                    text.Append(point.GetGaugeLastValueLong().ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(Number(point.GetGaugeLastValueDouble()));
                    break;
            }

            text.Append('\n');
        }
    }

    /// <summary>The Prometheus name of an instrument: <c>gateway.lane.request.duration</c> in <c>s</c> is <c>gateway_lane_request_duration_seconds</c>.</summary>
    public static string Name(string instrument, string? unit)
    {
        var name = Sanitize(instrument);
        var suffix = unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        return suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal) ? name + suffix : name;
    }

    private static void WriteHistogram(StringBuilder text, string name, in MetricPoint point)
    {
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            text.Append(name).Append("_bucket");
            WriteLabels(text, point.Tags, double.IsPositiveInfinity(bucket.ExplicitBound) ? "+Inf" : Number(bucket.ExplicitBound));
            text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append(name).Append("_sum");
        WriteLabels(text, point.Tags, null);
        text.Append(' ').Append(Number(point.GetHistogramSum())).Append('\n');
        text.Append(name).Append("_count");
        WriteLabels(text, point.Tags, null);
        text.Append(' ').Append(point.GetHistogramCount().ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void WriteLabels(StringBuilder text, ReadOnlyTagCollection tags, string? le)
    {
        if (tags.Count == 0 && le is null)
        {
            return;
        }

        text.Append('{');
        var first = true;
        foreach (var tag in tags)
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            text.Append(Sanitize(tag.Key)).Append("=\"");
            EscapeLabel(text, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "");
            text.Append('"');
        }

        if (le is not null)
        {
            text.Append(first ? "" : ",").Append("le=\"").Append(le).Append('"');
        }

        text.Append('}');
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return builder.Length > 0 && char.IsAsciiDigit(builder[0]) ? "_" + builder : builder.ToString();
    }

    private static void EscapeLabel(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append("\\\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append("\\n"),
                _ => text.Append(c),
            };
        }
    }

    private static string EscapeHelp(string? help) => (help ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
