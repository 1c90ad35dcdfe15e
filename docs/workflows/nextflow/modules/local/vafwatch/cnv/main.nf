// vafwatch cnv (docs/copy-number.md): gene copy number of one draw against a saved
// panel of normals.  nf-core module conventions; the panel BED and the PoN are
// staged inputs.
process VAFWATCH_CNV {
    tag "$meta.id"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container 'vafwatch:0.1.0' // docker build -f docs/packaging/Dockerfile -t vafwatch:0.1.0 .

    input:
    tuple val(meta), path(bam), path(bai)
    path bed
    path pon

    output:
    tuple val(meta), path("${prefix}.vafwatch.cnv.tsv"), emit: cnv
    tuple val(meta), path("${prefix}.vafwatch.cnv_regions.tsv"), emit: regions
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    vafwatch cnv -t $task.cpus -b $bed --pon $pon $args -s ${meta.id} --output-prefix ${prefix} $bam

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """

    stub:
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.vafwatch.cnv.tsv ${prefix}.vafwatch.cnv_regions.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """
}
