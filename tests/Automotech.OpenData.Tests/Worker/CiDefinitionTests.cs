using System.Text.RegularExpressions;
using Automotech.OpenData.Worker;
using YamlDotNet.RepresentationModel;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>The weekly CI definitions in pipelines/ci/ cannot rot: weekly, runnable by hand, running a real command.</summary>
public class CiDefinitionTests
{
    public static TheoryData<string> Definitions() => new(["github-weekly-release.yml", "azure-pipelines-weekly-release.yml"]);

    [Theory]
    [MemberData(nameof(Definitions))]
    public void The_schedule_is_weekly(string file)
    {
        var crons = Scalars(Load(file)).Where(s => s.Key == "cron").Select(s => s.Value).ToList();
        var cron = Assert.Single(crons);
        var parts = cron.Split(' ');
        Assert.Equal(5, parts.Length);
        Assert.Matches("^[0-9]+$", parts[0]);       // a fixed minute
        Assert.Matches("^[0-9]+$", parts[1]);       // a fixed hour
        Assert.Equal(("*", "*"), (parts[2], parts[3]));
        Assert.Matches("^[0-6]$", parts[4]);        // one day of the week
        _ = Cronos.CronExpression.Parse(cron);
    }

    [Fact]
    public void The_github_workflow_can_be_run_by_hand()
    {
        var root = (YamlMappingNode)Load("github-weekly-release.yml").RootNode;
        var on = (YamlMappingNode)root.Children[new YamlScalarNode("on")];
        Assert.Contains(on.Children.Keys, k => k.ToString() == "workflow_dispatch");
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void It_tests_then_publishes_with_a_real_verb_and_documented_settings(string file)
    {
        var yaml = Load(file);
        var commands = Scalars(yaml).Where(s => s.Key is "run" or "script" or "inlineScript").Select(s => s.Value).ToList();
        Assert.Contains("bash scripts/test.sh", commands);
        var worker = commands.Where(c => c.Contains("src/Automotech.OpenData.Worker", StringComparison.Ordinal)).ToList();
        Assert.Contains("publish", worker.Select(Verb));
        Assert.True(File.Exists(Path.Combine(Repo.Root, "src", "Automotech.OpenData.Worker", "Automotech.OpenData.Worker.csproj")));

        var settings = Scalars(yaml).Select(s => s.Key).Where(k => k.Contains("__", StringComparison.Ordinal)).Select(k => k.Replace("__", ":", StringComparison.Ordinal)).ToList();
        Assert.Contains(Settings.Target, settings);
        Assert.Contains(Settings.AnonymisationKey, settings);
        Assert.All(settings, key => Assert.Contains(key, Settings.All));
    }

    /// <summary>
    /// Without <c>Site__BaseUrl</c> the weekly release would publish a catalogue (and feed and sitemap)
    /// whose every URL is on the example host of appsettings.json: a harvester reading the real
    /// site's catalog.jsonld would import datasets and downloads that do not resolve.
    /// </summary>
    [Theory]
    [MemberData(nameof(Definitions))]
    public void The_published_site_is_told_its_own_address(string file)
    {
        var baseUrl = Assert.Single(Scalars(Load(file)), s => s.Key == "Site__BaseUrl").Value;
        Assert.Matches(@"^(\$\{\{ vars\.[A-Z_]+ \}\}|\$\([A-Z_]+\))$", baseUrl);
    }

    /// <summary>
    /// After Publish, Verify reads the same container back (the same target settings, so it checks
    /// what was just published) and is given no anonymisation key: it reads only published files,
    /// and a secret handed to a step that does not need it is one more place it can leak from.
    /// </summary>
    [Theory]
    [MemberData(nameof(Definitions))]
    public void Verify_follows_publish_on_the_same_target_without_the_key(string file)
    {
        var steps = WorkerSteps(Load(file));
        Assert.Equal(["publish", "verify"], steps.Select(s => s.Verb));
        var (_, publish, _) = steps[0];
        var (_, verify, _) = steps[1];
        var target = publish.Where(e => e.Key.StartsWith("Publishing__", StringComparison.Ordinal)).ToList();
        Assert.Contains(target, e => e.Key == "Publishing__Target" && e.Value == "AzureBlob");
        Assert.Equal(target.OrderBy(e => e.Key, StringComparer.Ordinal), verify.Where(e => e.Key.StartsWith("Publishing__", StringComparison.Ordinal)).OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.DoesNotContain(verify, e => e.Key.StartsWith("Anonymisation__", StringComparison.Ordinal));
    }

    /// <summary>
    /// Verify runs after a failed Publish too (not after a cancelled run): the log of the failed run
    /// then shows what it left in the container. A step's default condition is "all before succeeded",
    /// which skipped it exactly when it is most needed.
    /// </summary>
    [Theory]
    [InlineData("github-weekly-release.yml", "if", "${{ !cancelled() }}")]
    [InlineData("azure-pipelines-weekly-release.yml", "condition", "succeededOrFailed()")]
    public void Verify_runs_after_a_failed_publish_too(string file, string key, string condition)
    {
        var steps = WorkerSteps(Load(file));
        Assert.Equal(["publish", "verify"], steps.Select(s => s.Verb));
        Assert.False(steps[0].Step.ContainsKey(key), "Publish runs only when the tests passed");
        Assert.Equal(condition, steps[1].Step[key]);
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void No_secret_is_written_in_the_definition(string file)
    {
        var text = File.ReadAllText(Path.Combine(Repo.Pipelines, "ci", file));
        // Connection-string and SAS markers, written as classes so this file does not look like one.
        Assert.DoesNotMatch(new Regex("AccountKey[=]|SharedAccessSignature[=]|[?&]sig[=]", RegexOptions.IgnoreCase), text);
        var key = Assert.Single(Scalars(Load(file)), s => s.Key == "Anonymisation__Key").Value;
        Assert.Matches(@"^(\$\{\{ secrets\.[A-Z_]+ \}\}|\$\([A-Z_]+\))$", key);
    }

    private static string Verb(string command) =>
        CommandLine.Parse(command[(command.IndexOf(" -- ", StringComparison.Ordinal) + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).Verb;

    /// <summary>The steps that run the Worker, in order: their verb and their environment.</summary>
    private static List<(string Verb, Dictionary<string, string> Env, Dictionary<string, string> Step)> WorkerSteps(YamlDocument document)
    {
        var steps = new List<(string, Dictionary<string, string>, Dictionary<string, string>)>();
        void Walk(YamlNode node)
        {
            if (node is YamlSequenceNode sequence)
            {
                foreach (var item in sequence.Children)
                {
                    Walk(item);
                }
            }
            else if (node is YamlMappingNode map)
            {
                var command = map.Children.Concat(map.Children.TryGetValue(new YamlScalarNode("inputs"), out var inputs) && inputs is YamlMappingNode i ? i.Children : [])
                    .Where(c => c.Key.ToString() is "run" or "script" or "inlineScript" && c.Value is YamlScalarNode)
                    .Select(c => ((YamlScalarNode)c.Value).Value ?? "")
                    .FirstOrDefault(c => c.Contains("src/Automotech.OpenData.Worker", StringComparison.Ordinal));
                if (command is not null)
                {
                    var env = map.Children.TryGetValue(new YamlScalarNode("env"), out var e) && e is YamlMappingNode envMap
                        ? envMap.Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString(), StringComparer.Ordinal)
                        : new Dictionary<string, string>(StringComparer.Ordinal);
                    var step = map.Children.Where(c => c.Value is YamlScalarNode).ToDictionary(c => c.Key.ToString(), c => c.Value.ToString(), StringComparer.Ordinal);
                    steps.Add((Verb(command), env, step));
                    return;
                }

                foreach (var child in map.Children.Values)
                {
                    Walk(child);
                }
            }
        }

        Walk(document.RootNode);
        return steps;
    }

    private static YamlDocument Load(string file)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Path.Combine(Repo.Pipelines, "ci", file));
        stream.Load(reader);
        return stream.Documents[0];
    }

    /// <summary>Every key → scalar value pair of the document, at any depth.</summary>
    private static IEnumerable<(string Key, string Value)> Scalars(YamlDocument document)
    {
        var pending = new Stack<YamlNode>([document.RootNode]);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case YamlMappingNode map:
                    foreach (var (k, v) in map.Children)
                    {
                        if (v is YamlScalarNode s)
                        {
                            yield return (k.ToString(), s.Value ?? "");
                        }
                        else
                        {
                            pending.Push(v);
                        }
                    }

                    break;
                case YamlSequenceNode seq:
                    foreach (var item in seq.Children)
                    {
                        pending.Push(item);
                    }

                    break;
            }
        }
    }
}
