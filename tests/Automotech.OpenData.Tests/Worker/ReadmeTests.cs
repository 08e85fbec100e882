using System.Text.RegularExpressions;
using Automotech.OpenData.Worker;
using Microsoft.Extensions.Configuration;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>The README is part of the product: these tests keep it and the code in agreement.</summary>
public class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));

    /// <summary>The README's section "Commands", up to the next section: its table is the verbs' (other tables hold error types).</summary>
    private static readonly string CommandsSection = Regex.Match(Readme, @"^## Commands\n.*?(?=^## )", RegexOptions.Multiline | RegexOptions.Singleline).Value;

    [Fact]
    public void Opens_with_the_two_commands_that_run_the_demo_and_the_tests()
    {
        var firstBlock = Regex.Match(Readme, "```sh\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("dotnet run --project src/Automotech.OpenData.Worker -- publish", firstBlock, StringComparison.Ordinal);
        Assert.Contains("scripts/test.sh", firstBlock, StringComparison.Ordinal);
        Assert.True(Readme.IndexOf("```sh", StringComparison.Ordinal) < 40, "the commands come first");
        Assert.True(File.Exists(Path.Combine(Repo.Root, "src", "Automotech.OpenData.Worker", "Automotech.OpenData.Worker.csproj")));
        Assert.Contains("scripts/test.sh", File.ReadAllText(Path.Combine(Repo.Root, ".ci", "run")), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_configuration_key_the_worker_reads_is_documented() =>
        Assert.All(Settings.All, key => Assert.Contains($"`{key}`", Readme, StringComparison.Ordinal));

    [Fact]
    public void Every_configuration_key_the_worker_reads_is_named_by_help() =>
        // An operator setting up the weekly job from --help found no Site:BaseUrl, Publishing:Target
        // or Anonymisation:Key there (a regional authority's review noticed it).
        Assert.All(Settings.All, key => Assert.Contains(key, CommandLine.Usage, StringComparison.Ordinal));

    [Fact]
    public void Every_configuration_key_the_readme_documents_is_read()
    {
        var documented = Regex.Matches(Readme, @"^\| `([A-Za-z]+(?::[A-Za-z]+)+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(documented);
        Assert.All(documented, key => Assert.Contains(key, Settings.All));
    }

    [Fact]
    public void The_defaults_the_configuration_table_gives_are_those_the_worker_runs_with()
    {
        // The Worker's defaults are appsettings.json's, then the code's where it sets none.
        var documented = Regex.Matches(Readme, @"^\| `([A-Za-z]+(?::[A-Za-z]+)+)` \| ([^|]*) \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Repo.Root, "src", "Automotech.OpenData.Worker", "appsettings.json"))
            .Build();
        var options = Settings.Bind(configuration, pipelineId: null, source: null);
        var actual = new Dictionary<string, string>
        {
            [Settings.PipelinesDirectory] = options.PipelinesDirectory,
            [Settings.WorkDirectory] = options.WorkDirectory,
            [Settings.QuarantineDirectory] = options.QuarantineDirectory,
            [Settings.BatchSize] = options.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [Settings.Overlap] = options.Overlap ? "true" : "false",
            [Settings.Output] = options.OutputDirectory,
            [Settings.Target] = Settings.BindTarget(configuration, options) is Automotech.OpenData.Publishing.LocalFolderTarget ? "Folder" : "AzureBlob",
            [Settings.BaseUrl] = options.BaseUrl.ToString(),
            [Settings.ScheduleCron] = configuration[Settings.ScheduleCron] ?? Settings.DefaultCron,
        };
        Assert.All(actual, pair => Assert.True(
            documented[pair.Key].StartsWith($"`{pair.Value}`", StringComparison.Ordinal),
            $"{pair.Key}: the README's table says the default is {documented[pair.Key]}, the Worker runs with `{pair.Value}`"));
    }

    [Fact]
    public void Every_verb_of_the_cli_is_documented_and_every_documented_verb_exists()
    {
        // [a-z]+ alone skipped generate-sirene's row.
        var documented = Regex.Matches(CommandsSection, @"^\| `([a-z-]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["publish", "run", "validate", "verify", "generate", "generate-sirene", "help"], documented);
        Assert.All(documented, verb => Assert.Equal(verb, CommandLine.Parse([verb]).Verb));
        Assert.Equal(CommandLine.VerbOptions.Keys.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_verbs_options_are_the_same_in_the_readme_in_help_and_in_the_parser()
    {
        // help named no option of run, which takes --pipeline and --output: an operator reading
        // help could not know how to schedule one dataset or another folder.
        var readme = Regex.Matches(CommandsSection, @"^\| `([a-z-]+)` \|[^\n]*\|([^|\n]*)\|[ \t]*$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => Options(m.Groups[2].Value));
        var verbs = CommandLine.Usage[CommandLine.Usage.IndexOf("Verbs:", StringComparison.Ordinal)..CommandLine.Usage.IndexOf("Settings:", StringComparison.Ordinal)];
        var help = Regex.Matches(verbs, @"^  ([a-z-]+) (.*?)(?=^  [a-z]|\z)", RegexOptions.Multiline | RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => Options(m.Groups[2].Value));
        Assert.All(CommandLine.VerbOptions, verb =>
        {
            var parsed = verb.Value.Order(StringComparer.Ordinal).ToList();
            Assert.True(parsed.SequenceEqual(readme[verb.Key]), $"{verb.Key}: the parser takes [{string.Join(", ", parsed)}], the README's table says [{string.Join(", ", readme[verb.Key])}]");
            Assert.True(parsed.SequenceEqual(help[verb.Key]), $"{verb.Key}: the parser takes [{string.Join(", ", parsed)}], help says [{string.Join(", ", help[verb.Key])}]");
        });

        static List<string> Options(string text) =>
            Regex.Matches(text, "--([a-z][a-z-]*)").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void The_example_of_mistakes_in_a_definition_is_what_the_loader_says_of_them()
    {
        // Twenty lines declared before sirene-automobile's validation block moved its mistake
        // from line 65 to 89, and the README still said 65.
        var block = Regex.Match(Readme, "```\n(error: pipelines/sirene-automobile/pipeline.yaml: .*?)```", RegexOptions.Singleline).Groups[1].Value;
        var documented = block.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(4, documented.Count);

        using var temp = new TempFolder();
        var source = Path.Combine(Repo.Pipelines, "sirene-automobile");
        var yaml = File.ReadAllText(Path.Combine(source, "pipeline.yaml"));
        (string From, string To)[] mistakes =
        [
            ("  update_frequency: mensuelle", "  update_frequncy: mensuelle"),
            ("max_error_ratio: 0.05", "max_error_ratio: cinq pour cent"),
            ("{ name: siret, type: string, checks: [siret]", "{ name: siret, type: string, checks: [sirett]"),
            ("45.20A, 45.20B", "45.20C, 45.20B"),
        ];
        foreach (var (from, to) in mistakes)
        {
            Assert.Contains(from, yaml, StringComparison.Ordinal);
            yaml = yaml.Replace(from, to, StringComparison.Ordinal);
        }

        temp.File("sirene-automobile/pipeline.yaml", yaml);
        foreach (var file in Directory.GetFiles(source).Where(f => Path.GetFileName(f) != "pipeline.yaml"))
        {
            temp.File($"sirene-automobile/{Path.GetFileName(file)}", File.ReadAllText(file));
        }

        var e = Assert.Throws<Automotech.OpenData.PipelineException>(() => Automotech.OpenData.Pipelines.PipelineLoader.Load(temp.Combine("sirene-automobile")));
        var said = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(documented, said);
    }

    [Fact]
    public void Help_names_every_file_verify_reads()
    {
        // help said verify read releases.json, the versions' files and latest/ a session after it
        // also read the catalogue, the sitemap and the feed: an operator whose harvester offered
        // stale checksums did not know verify would have said so.
        var verbs = CommandLine.Usage[CommandLine.Usage.IndexOf("Verbs:", StringComparison.Ordinal)..CommandLine.Usage.IndexOf("Settings:", StringComparison.Ordinal)];
        var verify = Regex.Match(verbs, @"^  verify (.*?)(?=^  [a-z])", RegexOptions.Multiline | RegexOptions.Singleline).Groups[1].Value;
        Assert.NotEqual("", verify);
        var section = Readme[Readme.IndexOf("### Checking a published tree", StringComparison.Ordinal)..Readme.IndexOf("## Adding a dataset", StringComparison.Ordinal)];
        string[] read = ["releases.json", "latest/", "catalog.jsonld", "sitemap.xml", "feed.atom"];
        Assert.All(read, file =>
        {
            Assert.Contains($"`{file}`", section, StringComparison.Ordinal);
            Assert.Contains(file, verify, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_transform_is_documented() =>
        Assert.All(Automotech.OpenData.Anonymisation.FieldTransforms.Known, t => Assert.Contains($"`{t}`", Readme, StringComparison.Ordinal));

    [Fact]
    public void Every_pipeline_yaml_key_the_loader_takes_is_documented()
    {
        // The reference named no 'check' in row_checks, no 'in' in natural_person_when, no 'below'
        // in bands, none of aggregate.levels' keys, nor the top-level 'id': an author copied them
        // from a bundled definition, or did not know them.
        var docs = string.Concat(DocFiles.Select(f => File.ReadAllText(Path.Combine(Repo.Root, f))));
        var undocumented = Automotech.OpenData.Pipelines.YamlShapeCheck.KeyPaths(typeof(Automotech.OpenData.Pipelines.PipelineDefinition))
            .Where(path => !Named(path))
            .ToList();
        Assert.True(undocumented.Count == 0, "pipeline.yaml keys the loader takes and no doc names: " + string.Join(", ", undocumented));

        // Named between backquotes by its path or the end of it (`source.limits.max_rows`,
        // `limits.max_rows`, `max_rows`), alone or starting a longer span (`outputs.formats`,
        // `unit: count|eur`).
        bool Named(string path)
        {
            var segments = path.Split('.');
            return Enumerable.Range(0, segments.Length)
                .Select(skip => "`" + string.Join('.', segments.Skip(skip)))
                .Any(tail => "`.: ".Any(after => docs.Contains(tail + after, StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/sources.md")]
    [InlineData("docs/sirene.md")]
    public void Every_pipeline_yaml_key_path_the_docs_name_is_one_the_loader_takes(string file)
    {
        var accepted = Automotech.OpenData.Pipelines.YamlShapeCheck.KeyPaths(typeof(Automotech.OpenData.Pipelines.PipelineDefinition))
            .Select(path => new Regex("^" + Regex.Escape(path).Replace(@"\*", "[^.]+", StringComparison.Ordinal) + "$"))
            .ToList();
        var named = Regex.Matches(File.ReadAllText(Path.Combine(Repo.Root, file)), @"(?<![\w./-])(?:metadata|source|validation|anonymisation|fields|outputs|aggregate|enrich)(?:\.[a-z_]+)+")
            .Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(named);
        var unknown = named.Where(path => !accepted.Any(a => a.IsMatch(path))).ToList();
        Assert.True(unknown.Count == 0, $"{file} names keys the loader does not take: {string.Join(", ", unknown)}");
    }

    private static readonly string[] DocFiles = ["README.md", "docs/sources.md", "docs/sirene.md"];

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/sources.md")]
    [InlineData("docs/sirene.md")]
    public void Every_link_and_repository_path_the_docs_give_exists(string file)
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, file));
        var folder = Path.GetDirectoryName(Path.Combine(Repo.Root, file))!;
        // Links relative to the file ([docs/sources.md](docs/sources.md)), and paths from the root
        // written as code (`samples/acteurs-crm-demo.csv`); a pattern (<id>, *) is not a path.
        var links = Regex.Matches(text, @"\]\((?!https?:|#|mailto:)([^)#\s]+)").Select(m => Path.Combine(folder, m.Groups[1].Value));
        var paths = Regex.Matches(text, @"`((?:src|tests|samples|reference|pipelines|scripts|docs|site-templates|benchmarks|\.ci)/[^`\s<>*]*)`").Select(m => Path.Combine(Repo.Root, m.Groups[1].Value));
        var missing = links.Concat(paths).Where(p => !File.Exists(p) && !Directory.Exists(p)).Select(p => Path.GetRelativePath(Repo.Root, p)).ToList();
        Assert.True(missing.Count == 0, $"{file} names what the repository does not hold: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_structural_change_of_the_changelog_is_documented_and_every_documented_one_exists()
    {
        var section = Regex.Match(Readme, @"^### What `changelog\.json` holds\n.*?(?=^#)", RegexOptions.Multiline | RegexOptions.Singleline).Value;
        var documented = Regex.Matches(section, @"^  \| (`[a-z-]+`(?:, `[a-z-]+`)*) \|", RegexOptions.Multiline)
            .Skip(1) // the table's header, | `change` | when |
            .SelectMany(m => Regex.Matches(m.Groups[1].Value, "`([a-z-]+)`").Select(k => k.Groups[1].Value)).ToList();
        Assert.Equal(Automotech.OpenData.Releases.StructureChange.Kinds.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        Assert.All(Automotech.OpenData.Releases.StructureChange.Constraints, c => Assert.Contains($"`{c}`", section, StringComparison.Ordinal));
        Assert.Equal(Automotech.OpenData.Pipelines.SchemaJsonReader.ConstraintKeys.Order(StringComparer.Ordinal), Automotech.OpenData.Releases.StructureChange.Constraints.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_schema_json_property_the_loader_takes_is_documented() =>
        Assert.All(
            Automotech.OpenData.Pipelines.SchemaJsonReader.SchemaKeys.Concat(Automotech.OpenData.Pipelines.SchemaJsonReader.FieldKeys).Concat(Automotech.OpenData.Pipelines.SchemaJsonReader.ConstraintKeys),
            k => Assert.Contains($"`{k}`", Readme, StringComparison.Ordinal));

    [Fact]
    public void Every_check_and_row_check_is_documented()
    {
        Assert.All(Automotech.OpenData.Validation.BusinessChecks.Known, c => Assert.Contains($"`{c}`", Readme, StringComparison.Ordinal));
        Assert.All(Automotech.OpenData.Validation.RowChecks.Known, c => Assert.Contains($"`{c}`", Readme, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/sources.md")]
    public void The_delimiters_and_encodings_listed_are_exactly_those_the_loader_takes(string file)
    {
        // The README listed auto, utf-8, windows-1252, iso-8859-1 and auto , ; \t, while the loader
        // also took utf8, cp1252, latin1, '|' and 'tab': an author could not know them.
        var text = File.ReadAllText(Path.Combine(Repo.Root, file));
        Assert.Equal(Listed(text, "encoding"), Automotech.OpenData.Sources.SourceChecks.Encodings.Order(StringComparer.Ordinal));
        Assert.Equal(Listed(text, "delimiter"), Automotech.OpenData.Sources.SourceChecks.Delimiters.Order(StringComparer.Ordinal));

        // Each value between the backquotes of "`key` (…)", as YAML reads it: "\t" in double quotes is a tab.
        static IEnumerable<string> Listed(string text, string key)
        {
            var list = Regex.Match(text, $@"`{key}` \(((?:`[^`]+`|[^`()])*)\)").Groups[1].Value;
            Assert.False(list.Length == 0, $"no '`{key}` (…)' list");
            return Regex.Matches(list, "`([^`]+)`").Select(m => m.Groups[1].Value == "\"\\t\"" ? "\t" : m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();
        }
    }

    [Fact]
    public void The_appsettings_file_sets_only_documented_keys()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "src", "Automotech.OpenData.Worker", "appsettings.json")));
        var keys = json.RootElement.EnumerateObject()
            .Where(section => section.Name != "Logging")
            .SelectMany(section => section.Value.EnumerateObject().Select(p => $"{section.Name}:{p.Name}"));
        Assert.All(keys, key => Assert.Contains(key, Settings.All));
    }
}
