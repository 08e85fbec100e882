namespace Automotech.OpenData.Worker;

/// <summary>A parsed command line: the verb, its options, and configuration overrides (--Section:Key=value).</summary>
public sealed record CommandLine(string Verb, IReadOnlyDictionary<string, string> Options, IReadOnlyList<string> ConfigurationArgs)
{
    public const string Usage = """
        Automotech Open Data — publishes the cluster's actor map as open data.

        Usage: Automotech.OpenData.Worker <verb> [options] [--Section:Key=value ...]

        Verbs:
          publish    validate, anonymise, write the datasets and the site, publish them
                     --pipeline ID   one dataset only (default: every folder of pipelines/)
                     --source PATH   replace that pipeline's source file
                     --output DIR    published folder (default: out/site)
          run        stay up and publish on the schedule Schedule:Cron (Paris time) until stopped
                     (SIGTERM or Ctrl+C stop it gracefully)
                     --pipeline ID, --output DIR as for publish
          validate   read and check the source, report, publish nothing
                     --pipeline ID, --source PATH as for publish
          verify     check the published folder or container (Publishing:Target, as publish), reading only:
                     releases.json, each version's files by size and sha256, latest/, unlisted files,
                     orphan version folders, catalog.jsonld, sitemap.xml and feed.atom against
                     releases.json, every link of the pages a visitor reaches from index.html and
                     404.html, the key figures, charts' bars and counts by département the pages
                     show against each version's CSV, and the changes a version page states against
                     its changelog.json (not the pages' other text); one line per problem, then a
                     summary
                     --output DIR    published folder (default: out/site)
                     exit 0 sound (warnings allowed), 1 an error or a publish under way
          generate   write a fictional demo CRM export
                     --rows N (default 250)  --seed S (default 42)  --output FILE (required)
          generate-sirene  write a fictional file shaped like INSEE's Sirene StockEtablissement
                     --rows N (default 100000)  --seed S (default 42)  --output FILE (required)
                     --occitanie-share X (0 to 1, default 0.09)
          help       this text

        Settings: --Section:Key=value, or the environment variable Section__Key (the README says more):
          Pipeline:Directory, Pipeline:WorkDirectory, Pipeline:QuarantineDirectory
                     the definitions (default pipelines/), the scratch and the private quarantine
          Pipeline:BatchSize, Pipeline:Overlap, Pipeline:Threads   rows per batch, read-ahead, cores
          Publishing:Output, Publishing:Target (Folder or AzureBlob), Publishing:Azure:AccountUrl,
          Publishing:Azure:ConnectionString, Publishing:Azure:Container, Publishing:Azure:ServiceVersion
          Site:BaseUrl     where the site is served: every permalink, catalog.jsonld, feed, sitemap
          Site:Templates   a folder of templates that replace the built-in ones, file by file
          Anonymisation:Key  the secret of the pseudonyms (32 characters at least; never on a
                     shared command line: Anonymisation__Key in the environment)
          Schedule:Cron    run's schedule, Paris time (default 0 6 * * 1)

        Exit codes: 0 success, 1 the run failed (bad data, configuration, I/O), 2 bad command line,
        70 an unexpected internal error.
        """;

    /// <summary>The options each verb takes (help and the README list the same: a test holds them to it).</summary>
    internal static readonly Dictionary<string, string[]> VerbOptions = new(StringComparer.Ordinal)
    {
        ["publish"] = ["pipeline", "source", "output"],
        ["validate"] = ["pipeline", "source"],
        ["run"] = ["pipeline", "output"],
        ["verify"] = ["output"],
        ["generate"] = ["rows", "seed", "output"],
        ["generate-sirene"] = ["rows", "seed", "output", "occitanie-share"],
        ["help"] = [],
    };

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            return new CommandLine("help", new Dictionary<string, string>(), []);
        }

        var verb = args[0];
        if (!VerbOptions.TryGetValue(verb, out var allowed))
        {
            // Without what follows '=': a setting put before the verb (--Anonymisation:Key=…) is a secret.
            throw new UsageException($"Unknown verb '{verb.Split('=', 2)[0]}'. Verbs: {string.Join(", ", VerbOptions.Keys)}.");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var configuration = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            // Never quoted: a stray argument is often a secret given with a blank instead of '='.
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument: argument n° {i + 1} is not an option (options start with --; a setting is written --Section:Key=value, with '=').");
            }

            var name = arg[2..];
            if (name.Contains(':', StringComparison.Ordinal))
            {
                configuration.Add(arg);
                continue;
            }

            if (!allowed.Contains(name))
            {
                // Named without what follows '=': --Anonymisation__Key=… is a secret under the environment's spelling.
                throw new UsageException($"'{verb}' has no option --{name.Split('=', 2)[0]}" + (allowed.Length > 0 ? $" (options: {string.Join(", ", allowed.Select(a => "--" + a))})." : "."));
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"--{name} needs a value.");
            }

            if (options.ContainsKey(name))
            {
                throw new UsageException($"--{name} is given twice: it takes one value (run the command once per value).");
            }

            var value = args[++i];
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new UsageException($"--{name} needs a value: it is empty.");
            }

            options[name] = value;
        }

        return new CommandLine(verb, options, configuration);
    }

    public string? Get(string name) => Options.TryGetValue(name, out var value) ? value : null;

    public int GetInt(string name, int fallback, int min, int max)
    {
        var text = Get(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"--{name} must be a whole number between {min} and {max}.");
    }
}

/// <summary>A command line that cannot be run: exit code 2, with the reason and the usage.</summary>
public sealed class UsageException(string message) : Exception(message);
