// vafwatch count (docs/workflows.md).  nf-core module conventions: a meta map,
// task.ext.args for extra options, versions.yml, a stub; the reference (with its
// .fai) and user targets are staged inputs ([] when not used): no shared file system.
process VAFWATCH_COUNT {
    tag "$meta.id"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container 'vafwatch:0.1.0' // docker build -f docs/packaging/Dockerfile -t vafwatch:0.1.0 .

    input:
    tuple val(meta), path(bam), path(bai)
    tuple val(meta2), path(fasta), path(fai)
    path(targets)

    output:
    tuple val(meta), path("${prefix}.vafwatch.counts.tsv"), emit: counts
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    def reference = fasta ? "--reference ${fasta}" : ''
    def targets_arg = targets ? targets.collect { "-T ${it}" }.join(' ') : ''
    """
    vafwatch count -t $task.cpus $reference $targets_arg $args -s ${meta.id} -o ${prefix}.vafwatch.counts.tsv $bam

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """

    stub:
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.vafwatch.counts.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """
}
