using System.Globalization;
using Akka.Configuration.Hocon;

namespace NumaSim.Workloads.Config;

/// <summary>
/// A value in a HOCON file with its key path, read with types: every wrong type or value becomes
/// a <see cref="ConfigException"/> naming the file, the line and the key.
/// </summary>
public sealed class ConfigNode
{
    private readonly HoconFile _file;

    public ConfigNode(HoconFile file, string path, HoconValue? value)
    {
        _file = file;
        Path = path;
        Value = value;
    }

    public string Path { get; }
    public HoconValue? Value { get; }
    public bool Exists => Value is not null && !Value.IsEmpty;
    public string File => _file.Path;

    public ConfigException Error(string problem) => new(_file.Path, _file.LineOf(Path), Path, problem);

    public static ConfigNode Root(HoconFile file, string path) =>
        new(file, path, file.Config.HasPath(path) ? file.Config.GetValue(path) : null);

    public bool IsObject => Exists && Value!.IsObject();

    public bool IsString => Exists && Value!.IsString();

    public ConfigNode Child(string key)
    {
        var path = $"{Path}.{key}";
        if (!IsObject)
        {
            return new ConfigNode(_file, path, null);
        }
        return new ConfigNode(_file, path, Value!.GetObject().Items.TryGetValue(key, out var v) ? v : null);
    }

    public IReadOnlyList<string> Keys => IsObject ? [.. Value!.GetObject().Items.Keys] : [];

    /// <summary>Rejects keys this object does not know.</summary>
    public void OnlyKeys(params string[] known)
    {
        foreach (var key in Keys.Where(k => !known.Contains(k)))
        {
            throw Child(key).Error($"unknown key (known: {string.Join(", ", known)})");
        }
    }

    public IReadOnlyList<ConfigNode> Elements()
    {
        // Akka reads `[]` as an empty value that is no array: the documented default of every list.
        if (Value is not null && Value.Values.Count == 1 && Value.Values[0] is HoconArray { Count: 0 })
        {
            return [];
        }
        if (!Exists || !Value!.IsArray())
        {
            throw Error("expected a list [ ... ]");
        }
        var items = Value.GetArray();
        return [.. items.Select((v, i) => new ConfigNode(_file, $"{Path}[{i}]", v))];
    }

    public string String()
    {
        if (!Exists)
        {
            throw Error("missing");
        }
        if (!Value!.IsString())
        {
            throw Error("expected a string");
        }
        return Value.GetString();
    }

    public string String(string fallback) => Exists ? String() : fallback;

    public long Long()
    {
        var text = String();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            throw Error($"expected a whole number, found \"{text}\"");
        }
        return v;
    }

    public long Long(long fallback) => Exists ? Long() : fallback;

    public int Int(int min, int max)
    {
        var v = Long();
        if (v < min || v > max)
        {
            throw Error($"must be between {min} and {max}, found {v}");
        }
        return (int)v;
    }

    public int Int(int min, int max, int fallback) => Exists ? Int(min, max) : fallback;

    public bool Bool(bool fallback)
    {
        if (!Exists)
        {
            return fallback;
        }
        return String().ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            var s => throw Error($"expected on/off, found \"{s}\""),
        };
    }

    /// <summary>A duration such as "150ns", "2us", "1.5ms", "0"; in nanoseconds.</summary>
    public long Nanoseconds()
    {
        var text = String().Trim();
        return Units.TryParseNanoseconds(text, out var ns) ? ns : throw Error($"expected a duration such as 150ns or 2us (below 292 years), found \"{text}\"");
    }

    public long Nanoseconds(long fallback) => Exists ? Nanoseconds() : fallback;

    /// <summary>A fraction 0..1 such as 0.3; NaN and the infinities, which compare false with both bounds, are not.</summary>
    public double Fraction(double fallback)
    {
        var text = Exists ? String().Trim() : null;
        if (text is null)
        {
            return fallback;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0 || v > 1)
        {
            throw Error($"expected a fraction between 0 and 1, found \"{text}\"");
        }
        return v;
    }

    /// <summary>A byte size such as "8G" or "512M".</summary>
    public long Bytes()
    {
        var text = String().Trim();
        return Units.TryParseBytes(text, out var bytes) ? bytes : throw Error($"expected a size such as 8G or 512M (below 8E), found \"{text}\"");
    }
}
