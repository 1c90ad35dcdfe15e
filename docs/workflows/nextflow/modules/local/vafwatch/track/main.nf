// vafwatch track (docs/workflows.md).  nf-core module conventions: a meta map,
// task.ext.args for extra options, versions.yml, a stub.
process VAFWATCH_TRACK {
    tag "$meta.id"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container 'vafwatch:0.1.0' // docker build -f docs/packaging/Dockerfile -t vafwatch:0.1.0 .

    input:
    tuple val(meta), path(calls)
    path sheet
    path events

    output:
    tuple val(meta), path("${prefix}.vafwatch.track.tsv"), emit: track
    tuple val(meta), path("${prefix}.vafwatch.series.tsv"), emit: series
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    vafwatch track $args --sheet $sheet -e $events --output-prefix ${prefix} $calls

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """

    stub:
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.vafwatch.track.tsv ${prefix}.vafwatch.series.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """
}
