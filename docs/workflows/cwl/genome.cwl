#!/usr/bin/env cwl-runner
# vafwatch cnv --genome on one patient's shallow-WGS draws (the sheet's 'swgs' column),
# in date order: tumour fraction, segments, arms, focal changes per draw and the
# patient's series (docs/copy-number.md, "Genome-wide").
cwlVersion: v1.2
class: CommandLineTool
label: vafwatch cnv --genome
hints:
  DockerRequirement:
    dockerPull: vafwatch:0.1.0
  ResourceRequirement:
    coresMin: $(inputs.threads)
baseCommand: [vafwatch, cnv, --genome]
arguments:
  - {prefix: --output-prefix, valueFrom: $(inputs.prefix)}
inputs:
  swgs:
    type: File[]
    doc: the draws' readCounter WIGs or BAM/CRAMs (with their index), in date order
    secondaryFiles:
      - {pattern: .bai, required: false}
      - {pattern: .crai, required: false}
    inputBinding: {position: 10}
  samples:
    type: string[]
    doc: the sheet's sample names of the draws, in the same order
    inputBinding: {prefix: -s, itemSeparator: ","}
  prefix:
    type: string
    doc: the output prefix (the patient)
  sheet:
    type: File?
    doc: the cohort sheet (its draws give PREFIX.vafwatch.genome_series.tsv)
    inputBinding: {prefix: --sheet}
  gc:
    type: File?
    doc: GC fraction per bin (WIG; the bins of the counts)
    inputBinding: {prefix: --gc}
  map:
    type: File?
    doc: mappability per bin (WIG)
    inputBinding: {prefix: --map}
  reference:
    type: File?
    doc: FASTA with its .fai (GC per bin of BAM/CRAM input when gc is not given; CRAM)
    secondaryFiles: [{pattern: .fai, required: false}]
    inputBinding: {prefix: --reference}
  centromeres:
    type: File?
    inputBinding: {prefix: --centromeres}
  pon:
    type:
      - 'null'
      - type: array
        items: File
        inputBinding: {prefix: --pon}
    doc: normal samples (WIG or BAM/CRAM), each given with --pon (run takes the sheet's normal rows' files)
  threads:
    type: int
    default: 1
    inputBinding: {prefix: -t}
  extra_args:
    type: string[]?
    doc: further options, e.g. [--bin-size, "500000"]
    inputBinding: {position: 5}
outputs:
  genome:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.genome.tsv}
  bins:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.genome_bins.tsv}
  seg:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.genome.seg}
  arms:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.genome_arms.tsv}
  focal:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.genome_focal.tsv}
  html:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.genome.html}
  series:
    type: File?
    outputBinding: {glob: $(inputs.prefix).vafwatch.genome_series.tsv}
