// vafwatch report (docs/reports.md): HTML, JSON and the MultiQC custom content.
// nf-core module conventions: a meta map, task.ext.args, versions.yml, a stub.
process VAFWATCH_REPORT {
    tag "$meta.id"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container 'vafwatch:0.1.0' // docker build -f docs/packaging/Dockerfile -t vafwatch:0.1.0 .

    input:
    tuple val(meta), path(calls)
    path sheet
    path events
    path cnv
    path patient

    output:
    tuple val(meta), path("report/index.html"), path("report/patients"), emit: html
    tuple val(meta), path("report/vafwatch.report.json"), emit: json
    path "report/*_mqc.*", emit: mqc
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    def cnv_args = cnv ? cnv.collect { "--cnv ${it}" }.join(' ') : ''
    def ptests = patient ? "--patient-tests ${patient}" : ''
    """
    vafwatch report $args $cnv_args $ptests --sheet $sheet -e $events -d report $calls

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """

    stub:
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    mkdir -p report/patients
    touch report/index.html report/vafwatch.report.json report/vafwatch_mqc.tsv report/vafwatch_stats_mqc.tsv report/vafwatch_vaf_mqc.json
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vafwatch: \$(vafwatch --version | sed '1!d; s/^vafwatch //; s/ .*//')
    END_VERSIONS
    """
}
