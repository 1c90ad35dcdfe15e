#!/usr/bin/env cwl-runner
# vafwatch count on one BAM/CRAM: the evidence table of one plasma draw (with its
# self background).  docs/workflows.md, "CWL".
cwlVersion: v1.2
class: CommandLineTool
label: vafwatch count
doc: Counts reference and mutant fragments at the resistance hotspots of one alignment file.
hints:
  DockerRequirement:
    dockerPull: vafwatch:0.1.0
  SoftwareRequirement:
    packages:
      vafwatch:
        version: ["0.1.0"]
  ResourceRequirement:
    coresMin: $(inputs.threads)
baseCommand: [vafwatch, count]
arguments:
  - {prefix: -o, valueFrom: $(inputs.sample).vafwatch.counts.tsv}
inputs:
  alignments:
    type: File
    doc: BAM or CRAM of one draw, with its index beside it
    secondaryFiles:
      - {pattern: .bai, required: false}
      - {pattern: .crai, required: false}
      - {pattern: .csi, required: false}
    inputBinding: {position: 10}
  sample:
    type: string
    doc: the sample name of the cohort sheet
    inputBinding: {prefix: -s}
  threads:
    type: int
    default: 1
    inputBinding: {prefix: -t}
  reference:
    type: File?
    doc: FASTA (needed for CRAM), with its .fai
    secondaryFiles: [{pattern: .fai, required: false}]
    inputBinding: {prefix: --reference}
  build:
    type: string?
    doc: GRCh37 or GRCh38 (otherwise told by the header)
    inputBinding: {prefix: --build}
  targets:
    type:
      - 'null'
      - type: array
        items: File
        inputBinding: {prefix: -T}
    doc: user targets (VCF/BCF, BED with a reference, or TSV), each given with -T
  extra_args:
    type: string[]?
    doc: further options, e.g. [--min-MQ, "30"]
    inputBinding: {position: 5}
outputs:
  counts:
    type: File
    outputBinding: {glob: $(inputs.sample).vafwatch.counts.tsv}
