// vafwatch call (docs/workflows.md).  nf-core module conventions: a meta map,
// task.ext.args for extra options, versions.yml, a stub.  The sheet (its 'targets'
// column by base name) and the events are staged: call --sheet -e takes each
// patient's therapy from its treatment_start drugs (the therapy-relevance map)
// and, with the patients' own targets (tumour-informed monitoring, staged too),
// calls them in that patient's samples only and writes the patient-level table.
process VAFWATCH_CALL {
    tag "$meta.id"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container 'vafwatch:0.1.0' // docker build -f docs/packaging/Dockerfile -t vafwatch:0.1.0 .

    input:
    tuple val(meta), val(samples), path(tables)
    path model
    path sheet
    path events
    path patient_targets

    output:
    tuple val(meta), path("${prefix}.vafwatch.calls.tsv"), emit: calls
    tuple val(meta), path("${prefix}.vafwatch.calls.vcf.gz"), path("${prefix}.vafwatch.calls.vcf.gz.tbi"), emit: vcf
    tuple val(meta), path("${prefix}.vafwatch.patient.tsv"), emit: patient, optional: true
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    def model_arg = model ? "-m ${model}" : ''
    def sheet_arg = events ? "--sheet ${sheet} -e ${events}" : ''
    def cfdna = samples.findAll { it.cfdna_ng_per_ml && it.cfdna_ng_per_ml != "NA" && (it.cfdna_ng_per_ml as double) > 0 }.collect { "--cfdna ${it.id}=${it.cfdna_ng_per_ml}" }.join(" ")
    """
    vafwatch call $model_arg $cfdna $sheet_arg $args --output-prefix ${prefix} $tables

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """

    stub:
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.vafwatch.calls.tsv ${prefix}.vafwatch.calls.vcf.gz.tbi
    ${patient_targets ? "touch ${prefix}.vafwatch.patient.tsv" : ''}
    echo "" | gzip > ${prefix}.vafwatch.calls.vcf.gz
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """
}
