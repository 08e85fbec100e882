using Automotech.OpenData.Sources;

namespace Automotech.OpenData.Pipelines;

/// <summary>The checks of pipeline.yaml's Sirene keys: <c>source.filter</c>, <c>enrich.sirene</c>, <c>outputs.partition_by</c>.</summary>
internal static class SireneChecks
{
    public static void Check(PipelineDefinition d, List<string> errors, YamlShapeCheck shape)
    {
        if (d.Source.Filter is { } filter)
        {
            if (d.Source.Kind != "sirene" && !shape.Unread("source.kind"))
            {
                errors.Add("source.filter applies to kind: sirene only.");
            }

            if (filter.Region is { } region && region != Reference.Geography.RegionCode)
            {
                errors.Add($"source.filter.region '{region}': only region {Reference.Geography.RegionCode} (Occitanie) is embedded.");
            }

            try
            {
                _ = new NafMatcher(filter.Naf);

                // A typo ("29.10Q", "2910") would match nothing, and the run would fail for want of rows.
                foreach (var code in filter.Naf.Where(c => !NafMatcher.IsKnown(NafMatcher.Normalise(c))))
                {
                    errors.Add($"source.filter.naf: '{code.Trim()}' is neither a NAF rev. 2 sub-class (such as 29.10Z or 2910Z) nor the start of one (such as 29.1 or 45.); it would match no establishment.");
                }
            }
            catch (PipelineException e)
            {
                errors.Add(e.Message);
            }

            foreach (var etat in filter.Etat.Where(e => e is not ("A" or "F")))
            {
                errors.Add($"source.filter.etat: '{etat}' is not an administrative state (A active, F closed).");
            }
        }

        if (d.Enrich?.Sirene is { } sirene)
        {
            CheckEnrichment(d, sirene, errors, shape);
        }

        if (d.Outputs.PartitionBy is { } field)
        {
            if (d.Schema.Find(field) is null)
            {
                errors.Add($"outputs.partition_by: '{field}' is not a published field of {PipelineLoader.SchemaFile}.");
            }

            if (!d.Outputs.Formats.Contains("parquet") && !shape.Unread("outputs.formats"))
            {
                errors.Add("outputs.partition_by partitions the Parquet output: add parquet to outputs.formats.");
            }

            if (d.Outputs.MaxPartitions is < 1 or > 10_000)
            {
                errors.Add("outputs.max_partitions must be between 1 and 10000 (each partition is an open file).");
            }
        }
    }

    private static void CheckEnrichment(PipelineDefinition d, SireneEnrichDefinition sirene, List<string> errors, YamlShapeCheck shape)
    {
        if (string.IsNullOrWhiteSpace(sirene.Path))
        {
            errors.Add("enrich.sirene.path is required.");
        }

        if (sirene.Limits.MaxFileBytes < 1 || sirene.Limits.MaxRows < 1 || sirene.Limits.MaxRecordBytes < 1)
        {
            errors.Add("enrich.sirene.limits.max_file_bytes, max_rows and max_record_bytes must be positive.");
        }

        if (sirene.Region != Reference.Geography.RegionCode)
        {
            errors.Add($"enrich.sirene.region '{sirene.Region}': only region {Reference.Geography.RegionCode} (Occitanie) is embedded.");
        }

        // Skipped when source.schema or natural_person_when was not read: each would only echo that mistake.
        var sourceRead = !shape.Unread("source.schema");
        if (sourceRead && d.Source.Schema.Find(sirene.Siret) is null)
        {
            errors.Add($"enrich.sirene.siret: '{sirene.Siret}' is not a source field.");
        }

        foreach (var (name, column) in sirene.Fields)
        {
            if (sourceRead && d.Source.Schema.Find(name) is not null)
            {
                errors.Add($"enrich.sirene.fields: '{name}' is already a source field; give the joined column another name.");
            }

            if (!SireneEnrichment.Columns.Contains(column))
            {
                errors.Add($"enrich.sirene.fields.{name}: '{column}' cannot be joined (known: {string.Join(", ", SireneEnrichment.Columns)}).");
            }
        }

        bool Tested(string field) => d.Anonymisation.NaturalPersonWhen.Any(c => c.Field == field && c.In.Contains("P"));
        if (shape.Unread("anonymisation.natural_person_when"))
        {
            return;
        }

        if (sirene.Restrict is null && !sirene.Fields.Any(f => f.Value == SireneStock.Diffusion && Tested(f.Key)))
        {
            errors.Add("enrich.sirene: Sirene's restricted diffusion (P) must be respected: set 'restrict' to the source field natural_person_when tests for P, "
                + "or join statutDiffusionEtablissement as a field and add it to natural_person_when with P.");
        }

        if (sirene.Restrict is { } restrict)
        {
            if (d.Source.Schema.Find(restrict) is null)
            {
                if (sourceRead)
                {
                    errors.Add($"enrich.sirene.restrict: '{restrict}' is not a source field.");
                }
            }
            else if (!Tested(restrict))
            {
                errors.Add($"enrich.sirene.restrict: anonymisation.natural_person_when has no condition '{restrict}' in [P]; Sirene's restricted diffusion would not be respected.");
            }
        }
    }
}
