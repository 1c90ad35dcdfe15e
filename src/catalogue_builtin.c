/*
 * catalogue_builtin.c -- the built-in resistance hotspot table.
 *
 * Coordinates are 1-based (VCF POS), alleles on the + strand.  Sources:
 * cancer hotspot codon spans in both builds, reference bases checked against
 * hg19 sequence, EGFR ectodomain positions computed from the NM_005228 exon
 * model (only G465R independently confirmed; the others ship verified = 0).
 * Protein numbering of EGFR is the precursor numbering (S492R = mature S468R).
 */
#include "catalogue_builtin.h"

const vw_builtin_row_t vw_builtin_rows[] = {
    {"KRAS", "NM_004985", "p.G12D", "c.35G>A", "12", 25398284, 25245350, "C", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.G12V", "c.35G>T", "12", 25398284, 25245350, "C", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.G12A", "c.35G>C", "12", 25398284, 25245350, "C", "G", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.G12C", "c.34G>T", "12", 25398285, 25245351, "C", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.G12S", "c.34G>A", "12", 25398285, 25245351, "C", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.G12R", "c.34G>C", "12", 25398285, 25245351, "C", "G", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.G13D", "c.38G>A", "12", 25398281, 25245347, "C", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.G13C", "c.37G>T", "12", 25398282, 25245348, "C", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.G13R", "c.37G>C", "12", 25398282, 25245348, "C", "G", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.A59T", "c.175G>A", "12", 25380283, 25227349, "C", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.A59G", "c.176C>G", "12", 25380282, 25227348, "G", "C", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.Q61K", "c.181C>A", "12", 25380277, 25227343, "G", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.Q61L", "c.182A>T", "12", 25380276, 25227342, "T", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.Q61R", "c.182A>G", "12", 25380276, 25227342, "T", "C", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.Q61H", "c.183A>C", "12", 25380275, 25227341, "T", "G", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.Q61H", "c.183A>T", "12", 25380275, 25227341, "T", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.K117N", "c.351A>C", "12", 25378647, 25225713, "T", "G", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.K117N", "c.351A>T", "12", 25378647, 25225713, "T", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.A146T", "c.436G>A", "12", 25378562, 25225628, "C", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.A146P", "c.436G>C", "12", 25378562, 25225628, "C", "G", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"KRAS", "NM_004985", "p.A146V", "c.437C>T", "12", 25378561, 25225627, "G", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.G12D", "c.35G>A", "1", 115258747, 114716126, "C", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.G12V", "c.35G>T", "1", 115258747, 114716126, "C", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.G12C", "c.34G>T", "1", 115258748, 114716127, "C", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.G12S", "c.34G>A", "1", 115258748, 114716127, "C", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.G13D", "c.38G>A", "1", 115258744, 114716123, "C", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.G13R", "c.37G>C", "1", 115258745, 114716124, "C", "G", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.Q61K", "c.181C>A", "1", 115256530, 114713909, "G", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.Q61L", "c.182A>T", "1", 115256529, 114713908, "T", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.Q61R", "c.182A>G", "1", 115256529, 114713908, "T", "C", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.Q61H", "c.183A>C", "1", 115256528, 114713907, "T", "G", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"NRAS", "NM_002524", "p.Q61H", "c.183A>T", "1", 115256528, 114713907, "T", "A", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"BRAF", "NM_004333", "p.V600E", "c.1799T>A", "7", 140453136, 140753336, "A", "T", '-', "anti-EGFR mAb resistance (CRC)", 1},
    {"MAP2K1", "NM_002755", "p.K57N", "c.171G>T", "15", 66727455, 66435117, "G", "T", '+', "anti-EGFR mAb resistance (CRC)", 1},
    {"MAP2K1", "NM_002755", "p.K57N", "c.171G>C", "15", 66727455, 66435117, "G", "C", '+', "anti-EGFR mAb resistance (CRC)", 1},
    {"MAP2K1", "NM_002755", "p.K57T", "c.170A>C", "15", 66727454, 66435116, "A", "C", '+', "anti-EGFR mAb resistance (CRC)", 1},
    {"EGFR", "NM_005228", "p.T790M", "c.2369C>T", "7", 55249071, 55181378, "C", "T", '+', "EGFR-TKI (NSCLC): acquired resistance", 1},
    {"EGFR", "NM_005228", "p.C797S", "c.2390G>C", "7", 55249092, 55181399, "G", "C", '+', "EGFR-TKI (NSCLC): acquired resistance", 1},
    {"EGFR", "NM_005228", "p.C797S", "c.2389T>A", "7", 55249091, 55181398, "T", "A", '+', "EGFR-TKI (NSCLC): acquired resistance", 1},
    {"EGFR", "NM_005228", "p.L858R", "c.2573T>G", "7", 55259515, 55191822, "T", "G", '+', "EGFR-TKI (NSCLC): sensitising", 1},
    {"EGFR", "NM_005228", "p.S464L", "c.1391C>T", "7", 55227924, 55160231, "C", "T", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.G465R", "c.1393G>A", "7", 55227926, 55160233, "G", "A", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 1},
    {"EGFR", "NM_005228", "p.G465E", "c.1394G>A", "7", 55227927, 55160234, "G", "A", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.G465V", "c.1394G>T", "7", 55227927, 55160234, "G", "T", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.K467T", "c.1400A>C", "7", 55227933, 55160240, "A", "C", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.I491M", "c.1473C>G", "7", 55228006, 55160313, "C", "G", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.S492R", "c.1476C>A", "7", 55228009, 55160316, "C", "A", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.S492R", "c.1474A>C", "7", 55228007, 55160314, "A", "C", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.R451C", "c.1351C>T", "7", 55227884, 55160191, "C", "T", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.V441D", "c.1322T>A", "7", 55227855, 55160162, "T", "A", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.V441G", "c.1322T>G", "7", 55227855, 55160162, "T", "G", '+', "EGFR ectodomain, anti-EGFR mAb resistance (CRC)", 0},
    {"EGFR", "NM_005228", "p.E746_A750del", "c.2235_2249del15", "7", 55242464, 55174771, "AGGAATTAAGAGAAGC", "A", '+', "EGFR-TKI (NSCLC): sensitising", 1},
    {"EGFR", "NM_005228", "p.E746_A750del", "c.2236_2250del15", "7", 55242465, 55174772, "GGAATTAAGAGAAGCA", "G", '+', "EGFR-TKI (NSCLC): sensitising", 1},
    {"EGFR", "NM_005228", "p.G719S", "c.2155G>A", "7", 55241707, 55174014, "G", "A", '+', "EGFR-TKI (NSCLC): sensitising", 1},
    {"EGFR", "NM_005228", "p.L861Q", "c.2582T>A", "7", 55259524, 55191831, "T", "A", '+', "EGFR-TKI (NSCLC): sensitising", 1},
    {"ERBB2", "NM_004448", "p.S310F", "c.929C>T", "17", 37868208, 39711955, "C", "T", '+', "ERBB2 activating: anti-EGFR mAb resistance (CRC), HER2-targeted therapy", 1},
    {"ERBB2", "NM_004448", "p.L755S", "c.2264T>C", "17", 37880220, 39723967, "T", "C", '+', "ERBB2 activating: anti-EGFR mAb resistance (CRC), HER2-targeted therapy", 1},
    {"ERBB2", "NM_004448", "p.V777L", "c.2329G>T", "17", 37881000, 39724747, "G", "T", '+', "ERBB2 activating: anti-EGFR mAb resistance (CRC), HER2-targeted therapy", 1},
};

const int vw_builtin_n = (int)(sizeof(vw_builtin_rows) / sizeof(vw_builtin_rows[0]));
