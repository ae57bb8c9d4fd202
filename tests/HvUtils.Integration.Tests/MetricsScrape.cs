using System.Globalization;

namespace HvUtils.Integration.Tests;

/// <summary>One sample of a Prometheus text scrape: metric name, labels, value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A parsed Prometheus text exposition (only what the tests need: samples, no escapes in label values).</summary>
public sealed class PrometheusScrape(string text, IReadOnlyList<PrometheusSample> samples)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Text { get; } = text;

    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    public static async Task<PrometheusScrape> FetchAsync(string url)
    {
        using HttpResponseMessage response = await Http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            int brace = line.IndexOf('{');
            int space = line.LastIndexOf('}') is int close and >= 0 ? line.IndexOf(' ', close) : line.IndexOf(' ');
            string name = brace >= 0 && brace < space ? line[..brace] : line[..space];
            var labels = new Dictionary<string, string>();
            if (brace >= 0 && brace < space)
            {
                string body = line[(brace + 1)..line.LastIndexOf('}')];
                foreach (string pair in body.Split("\",", StringSplitOptions.RemoveEmptyEntries))
                {
                    int eq = pair.IndexOf('=');
                    labels[pair[..eq]] = pair[(eq + 1)..].Trim('"');
                }
            }
            string[] rest = line[(space + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            samples.Add(new PrometheusSample(name, labels, double.Parse(rest[0], CultureInfo.InvariantCulture)));
        }
        return new PrometheusScrape(text, samples);
    }

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels include <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out string? v) && v == l.Value)).Sum(s => s.Value);

    public bool Has(string name, params (string Key, string Value)[] labels) =>
        Samples.Any(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out string? v) && v == l.Value));
}
