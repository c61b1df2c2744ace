package org.refusalscope.core.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.core.runs.DissectionResults.PromptResult;
import org.refusalscope.core.runs.RunFolder;

/**
 * The CSV tables and the self-contained {@code report.html} of a run (inline SVG: pruning curves, layer histogram of
 * minimal-set features, interaction heat map, baseline vs ablated completions).
 */
public final class RunReport {

	public static final String PROMPTS_CSV = "prompts.csv";
	public static final String MINIMAL_SETS_CSV = "minimal_sets.csv";
	public static final String EVALUATIONS_CSV = "evaluations.csv";
	public static final String HYDRA_CSV = "hydra.csv";

	private RunReport() {
	}

	public static void write(RunFolder folder, DissectionResults results) throws IOException {
		StringBuilder prompts = new StringBuilder("index,prompt,baseline_refused,baseline_refusal_score,candidates,"
				+ "minimal_set_size,ablated_refused,ablated_refusal_score,evaluations,fm_test_r2,linear_test_r2\n");
		// activation: empty for runs written before results.json recorded it
		StringBuilder sets = new StringBuilder("index,layer,feature,activation\n");
		StringBuilder evaluations = new StringBuilder("index,step,action,set_size,refusal_score,refused,accepted\n");
		StringBuilder hydra = new StringBuilder("index,layer,feature,baseline_activation,ablated_activation,"
				+ "delta_refusal_score\n");
		List<PromptResult> list = results.prompts();
		for(int i = 0; i < list.size(); i++) {
			PromptResult r = list.get(i);
			prompts.append(i).append(',').append(csv(r.prompt())).append(',').append(r.baseline().refused()).append(',')
					.append(num(r.baseline().refusalScore())).append(',').append(r.candidates().size()).append(',')
					.append(r.minimalSet().size()).append(',').append(r.ablated().refused()).append(',')
					.append(num(r.ablated().refusalScore())).append(',').append(r.evaluations()).append(',')
					.append(r.interactions() == null ? "" : num(r.interactions().fmTestR2())).append(',')
					.append(r.interactions() == null ? "" : num(r.interactions().linearTestR2())).append('\n');
			for(DissectionResults.MinimalSetFeature f : r.minimalSet()) {
				sets.append(i).append(',').append(f.layer()).append(',').append(f.feature()).append(',')
						.append(f.activation() == null ? "" : num(f.activation())).append('\n');
			}
			for(DissectionResults.TraceStep t : r.pruningTrace()) {
				evaluations.append(i).append(',').append(t.step()).append(',').append(csv(t.action())).append(',')
						.append(t.setSize()).append(',').append(num(t.refusalScore())).append(',').append(t.refused())
						.append(',').append(t.accepted()).append('\n');
			}
			for(DissectionResults.HydraFeature h : r.hydra()) {
				hydra.append(i).append(',').append(h.layer()).append(',').append(h.feature()).append(',')
						.append(num(h.baselineActivation())).append(',').append(num(h.ablatedActivation())).append(',')
						.append(num(h.deltaRefusalScore())).append('\n');
			}
		}
		AtomicFiles.writeString(folder.file(PROMPTS_CSV), prompts.toString());
		AtomicFiles.writeString(folder.file(MINIMAL_SETS_CSV), sets.toString());
		AtomicFiles.writeString(folder.file(EVALUATIONS_CSV), evaluations.toString());
		AtomicFiles.writeString(folder.file(HYDRA_CSV), hydra.toString());
		AtomicFiles.writeString(folder.file(RunFolder.REPORT), html(results));
	}

	static String html(DissectionResults results) {
		DissectionResults.Summary s = results.summary();
		StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>RefusalScope run"
				+ "</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}td,th{border:1px solid #ccc;"
				+ "padding:4px;vertical-align:top}table{border-collapse:collapse}pre{white-space:pre-wrap;margin:0}"
				+ "</style></head><body><h1>RefusalScope dissection</h1>");
		h.append("<p>Model <b>").append(esc(results.run().model())).append("</b>, direction at ")
				.append(esc(results.run().direction().hook())).append(", position ")
				.append(results.run().direction().position()).append(". Strategies: ")
				.append(esc(String.valueOf(results.run().strategies()))).append("</p>");
		h.append("<p>").append(s.nPrompts()).append(" prompts, ").append(s.refusedAtBaseline())
				.append(" refused at baseline, ").append(s.flipped()).append(" flipped by their minimal set (median size ")
				.append(num(s.medianMinimalSetSize())).append("); the FM beats the linear model on ")
				.append(s.fmBeatsLinear()).append(" prompts.</p>");
		h.append("<h2>Layers of minimal-set features</h2>").append(layerHistogram(results));
		for(int i = 0; i < results.prompts().size(); i++) {
			PromptResult r = results.prompts().get(i);
			h.append("<h2>Prompt ").append(i + 1).append("</h2><p>").append(esc(r.prompt())).append("</p>");
			h.append("<table><tr><th></th><th>refused</th><th>refusal score</th><th>completion</th></tr>");
			row(h, "baseline", r.baseline());
			row(h, "ablated", r.ablated());
			h.append("</table><p>Minimal set (").append(r.minimalSet().size()).append("): ");
			for(DissectionResults.MinimalSetFeature f : r.minimalSet()) {
				h.append(f.layer()).append(':').append(f.feature());
				if(f.activation() != null) {
					h.append(" (activation ").append(num(f.activation())).append(')');
				}
				h.append(' ');
			}
			h.append("; ").append(r.evaluations()).append(" model evaluations");
			if(Boolean.TRUE.equals(r.proxyJudgeDisagreement())) {
				h.append("; the refusal-score proxy and the verdict judge disagreed, the set was pruned again with the judge");
			}
			h.append(".</p>");
			h.append(pruningCurve(r));
			if(r.interactions() != null) {
				h.append("<p>Held-out R<sup>2</sup>: interaction model ").append(num(r.interactions().fmTestR2()))
						.append(", linear ").append(num(r.interactions().linearTestR2())).append(" (")
						.append(r.interactions().nMasks()).append(" masks)</p>").append(heatMap(r.interactions()));
			}
			if(!r.hydra().isEmpty()) {
				h.append("<p>Hydra features: ");
				for(DissectionResults.HydraFeature f : r.hydra()) {
					h.append(f.layer()).append(':').append(f.feature()).append(" (&Delta; ")
							.append(num(f.deltaRefusalScore())).append(") ");
				}
				h.append("</p>");
			}
		}
		return h.append("</body></html>").toString();
	}

	private static void row(StringBuilder h, String label, DissectionResults.Outcome o) {
		h.append("<tr><td>").append(label).append("</td><td>").append(o.refused()).append("</td><td>")
				.append(num(o.refusalScore())).append("</td><td><pre>")
				.append(o.completion() == null ? "(redacted)" : esc(o.completion())).append("</pre></td></tr>");
	}

	/** Refusal score of each pruning evaluation against its index; accepted steps in green, the threshold at 0. */
	static String pruningCurve(PromptResult r) {
		List<DissectionResults.TraceStep> trace = r.pruningTrace();
		if(trace.isEmpty()) {
			return "";
		}
		double min = 0, max = 0;
		for(DissectionResults.TraceStep t : trace) {
			min = Math.min(min, t.refusalScore());
			max = Math.max(max, t.refusalScore());
		}
		double span = Math.max(1e-9, max - min);
		int width = 800, height = 160;
		StringBuilder svg = new StringBuilder("<svg width=\"" + width + "\" height=\"" + height
				+ "\" xmlns=\"http://www.w3.org/2000/svg\"><title>pruning curve</title>");
		double zero = height - 10 - (0 - min) / span * (height - 20);
		svg.append(String.format(Locale.ROOT, "<line x1=\"0\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>", width,
				zero, zero));
		for(int i = 0; i < trace.size(); i++) {
			DissectionResults.TraceStep t = trace.get(i);
			double x = 5 + i * (width - 10.0) / Math.max(1, trace.size() - 1);
			double y = height - 10 - (t.refusalScore() - min) / span * (height - 20);
			svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"/>", x, y,
					t.accepted() ? 4 : 2, t.accepted() ? "green" : t.refused() ? "#c33" : "#36c"));
		}
		return svg.append("</svg>").toString();
	}

	static String layerHistogram(DissectionResults results) {
		TreeMap<Integer, Integer> counts = new TreeMap<>();
		for(PromptResult r : results.prompts()) {
			for(DissectionResults.MinimalSetFeature f : r.minimalSet()) {
				counts.merge(f.layer(), 1, Integer::sum);
			}
		}
		if(counts.isEmpty()) {
			return "<p>(no minimal sets)</p>";
		}
		int maxLayer = counts.lastKey();
		int maxCount = counts.values().stream().mapToInt(Integer::intValue).max().orElse(1);
		int bar = 24, height = 140;
		StringBuilder svg = new StringBuilder("<svg width=\"" + ((maxLayer + 1) * bar + 10) + "\" height=\""
				+ (height + 20) + "\" xmlns=\"http://www.w3.org/2000/svg\"><title>layer histogram</title>");
		for(int layer = 0; layer <= maxLayer; layer++) {
			int count = counts.getOrDefault(layer, 0);
			double h = count * (double) height / maxCount;
			svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#36c\">"
					+ "<title>layer %d: %d</title></rect><text x=\"%d\" y=\"%d\" font-size=\"10\">%d</text>",
					5 + layer * bar, height - h, bar - 4, h, layer, count, 5 + layer * bar, height + 14, layer));
		}
		return svg.append("</svg>").toString();
	}

	/** Pair weights of the top pairs as a symmetric matrix over the features they involve (blue negative, red positive). */
	static String heatMap(DissectionResults.Interactions interactions) {
		List<String> names = new ArrayList<>();
		for(DissectionResults.Pair p : interactions.topPairs()) {
			for(DissectionResults.Feature f : List.of(p.a(), p.b())) {
				String name = f.layer() + ":" + f.feature();
				if(!names.contains(name)) {
					names.add(name);
				}
			}
		}
		if(names.isEmpty()) {
			return "";
		}
		double max = 1e-9;
		for(DissectionResults.Pair p : interactions.topPairs()) {
			max = Math.max(max, Math.abs(p.weight()));
		}
		int cell = 18, margin = 70;
		int size = margin + names.size() * cell;
		StringBuilder svg = new StringBuilder("<svg width=\"" + size + "\" height=\"" + size
				+ "\" xmlns=\"http://www.w3.org/2000/svg\"><title>interaction heat map</title>");
		for(int i = 0; i < names.size(); i++) {
			svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"9\">%s</text>",
					margin + i * cell + 12, names.get(i)));
		}
		for(DissectionResults.Pair p : interactions.topPairs()) {
			int a = names.indexOf(p.a().layer() + ":" + p.a().feature());
			int b = names.indexOf(p.b().layer() + ":" + p.b().feature());
			double t = Math.abs(p.weight()) / max;
			String color = p.weight() < 0 ? String.format(Locale.ROOT, "rgb(%d,%d,255)", (int) (255 * (1 - t)),
					(int) (255 * (1 - t))) : String.format(Locale.ROOT, "rgb(255,%d,%d)", (int) (255 * (1 - t)),
							(int) (255 * (1 - t)));
			for(int[] xy : new int[][]{{a, b}, {b, a}}) {
				svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
						+ "<title>%s x %s: %.3f</title></rect>", margin + xy[0] * cell, margin + xy[1] * cell, cell - 1,
						cell - 1, color, names.get(a), names.get(b), p.weight()));
			}
		}
		return svg.append("</svg>").toString();
	}

	private static String csv(String text) {
		return "\"" + text.replace("\"", "\"\"") + "\"";
	}

	private static String num(double value) {
		return String.format(Locale.ROOT, "%.4f", value);
	}

	private static String esc(String text) {
		return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
