// vafwatch leadtime (docs/workflows.md).  nf-core module conventions: a meta map,
// task.ext.args for extra options, versions.yml, a stub.  'patient': the
// patient-level table of call --sheet ([] without patient targets).
process VAFWATCH_LEADTIME {
    tag "$meta.id"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container 'vafwatch:0.1.0' // docker build -f docs/packaging/Dockerfile -t vafwatch:0.1.0 .

    input:
    tuple val(meta), path(calls)
    path sheet
    path events
    path patient

    output:
    tuple val(meta), path("${prefix}.vafwatch.leadtime.tsv"), emit: leadtime
    tuple val(meta), path("${prefix}.vafwatch.cohort.tsv"), emit: cohort
    tuple val(meta), path("${prefix}.vafwatch.leadtime.json"), emit: json
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    def ptests = patient ? "--patient-tests ${patient}" : ''
    """
    vafwatch leadtime --json ${prefix}.vafwatch.leadtime.json $args $ptests --sheet $sheet -e $events --output-prefix ${prefix} $calls

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """

    stub:
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.vafwatch.leadtime.tsv ${prefix}.vafwatch.cohort.tsv ${prefix}.vafwatch.leadtime.json
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """
}
