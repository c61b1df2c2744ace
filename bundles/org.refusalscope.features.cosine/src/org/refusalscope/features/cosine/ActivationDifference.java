package org.refusalscope.features.cosine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.pipeline.ActivationSource;
import org.refusalscope.api.pipeline.Candidate;
import org.refusalscope.api.pipeline.FeatureCollector;
import org.refusalscope.api.pipeline.RefusalDirection;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * The ActDiff baseline of Yeo et al. (method.md section 4.5): the top K latents over all layers by
 * {@code mean_harmful(agg f) - mean_harmless(agg f)}. The activation source reads single positions, so the aggregate
 * is over the last token ({@code last}) or the post-instruction tokens ({@code eoi-mean}, {@code eoi-max}) rather
 * than over the whole sequence.
 */
@Component(service = FeatureCollector.class)
public class ActivationDifference implements FeatureCollector<ActivationDifference.Settings> {

	/**
	 * @param k         latents kept over all layers (20)
	 * @param aggregate {@code last}, {@code eoi-mean} or {@code eoi-max}
	 * @param layers    layers to collect from, or null/empty for every SAE given
	 */
	public record Settings(int k, String aggregate, List<Integer> layers) {
	}

	@Override
	public String id() {
		return "activation-difference";
	}

	@Override
	public String name() {
		return "Activation difference (ActDiff)";
	}

	@Override
	public String description() {
		return "The K latents whose mean activation differs most between harmful and harmless prompts (last or "
				+ "post-instruction tokens).";
	}

	@Override
	public Class<Settings> settingsType() {
		return Settings.class;
	}

	@Override
	public Settings defaultSettings() {
		return new Settings(20, "last", null);
	}

	@Override
	public List<Candidate> collect(RefusalDirection direction, Map<Integer, SparseAutoencoder> saes,
			ActivationSource source, List<Prompt> harmful, List<Prompt> harmless, Settings settings,
			ProgressMonitor monitor) {
		Settings s = settings == null ? defaultSettings() : settings;
		ProgressMonitor progress = monitor == null ? ProgressMonitor.NULL : monitor;
		Map<Integer, SparseAutoencoder> chosen = new TreeMap<>(saes);
		if(s.layers() != null && !s.layers().isEmpty()) {
			chosen.keySet().retainAll(s.layers());
		}
		String aggregate = s.aggregate() == null ? "last" : s.aggregate().toLowerCase(Locale.ROOT);
		int[] positions = switch(aggregate) {
			case "last" -> new int[]{-1};
			case "eoi-mean", "eoi-max" -> eoiPositions(source.postInstructionTokens());
			default -> throw new IllegalArgumentException("unknown aggregate '" + s.aggregate() + "' (last, eoi-mean, "
					+ "eoi-max)");
		};
		boolean max = aggregate.equals("eoi-max");
		progress.begin("Activation difference over " + chosen.size() + " SAEs", chosen.size());
		float[] unit = direction == null ? null : direction.unit();
		List<Candidate> all = new ArrayList<>();
		for(Map.Entry<Integer, SparseAutoencoder> entry : chosen.entrySet()) {
			progress.checkCanceled();
			SparseAutoencoder sae = entry.getValue();
			double[] plus = meanAggregate(source, sae, harmful, positions, max);
			double[] minus = meanAggregate(source, sae, harmless, positions, max);
			double[] diff = new double[plus.length];
			for(int j = 0; j < diff.length; j++) {
				diff[j] = plus[j] - minus[j];
			}
			for(int feature : CosineTopK.topK(diff, s.k())) {
				double cosine = unit == null ? Double.NaN : rowCosine(sae, feature, unit);
				all.add(new Candidate(new FeatureRef(entry.getKey(), feature), cosine, diff[feature]));
			}
			progress.worked(1);
		}
		all.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::feature));
		return List.copyOf(all.subList(0, Math.min(s.k(), all.size())));
	}

	private static int[] eoiPositions(int eoi) {
		int n = Math.max(1, eoi);
		int[] out = new int[n];
		for(int i = 0; i < n; i++) {
			out[i] = -n + i;
		}
		return out;
	}

	/** Mean over prompts of the per-prompt aggregate (mean or max over positions) of each latent. */
	private static double[] meanAggregate(ActivationSource source, SparseAutoencoder sae, List<Prompt> prompts,
			int[] positions, boolean max) {
		int layer = sae.info().layer();
		HookPoint hook = sae.info().hook();
		double[][] perPrompt = null;
		for(int pi = 0; pi < positions.length; pi++) {
			float[][][] acts = source.activations(prompts, hook, new int[]{layer}, positions[pi]);
			float[][] vectors = new float[acts.length][];
			for(int p = 0; p < acts.length; p++) {
				vectors[p] = acts[p][0];
			}
			float[][] latents = SaeBatchEncoder.encode(sae, vectors);
			if(perPrompt == null) {
				perPrompt = new double[latents.length][latents.length == 0 ? 0 : latents[0].length];
				for(double[] row : perPrompt) {
					java.util.Arrays.fill(row, max ? Double.NEGATIVE_INFINITY : 0);
				}
			}
			for(int p = 0; p < latents.length; p++) {
				for(int j = 0; j < latents[p].length; j++) {
					perPrompt[p][j] = max ? Math.max(perPrompt[p][j], latents[p][j])
							: perPrompt[p][j] + latents[p][j] / (double) positions.length;
				}
			}
		}
		double[] mean = new double[perPrompt[0].length];
		for(double[] row : perPrompt) {
			for(int j = 0; j < mean.length; j++) {
				mean[j] += row[j] / perPrompt.length;
			}
		}
		return mean;
	}

	private static double rowCosine(SparseAutoencoder sae, int feature, float[] unit) {
		int cols = unit.length;
		float[] row = new float[cols];
		TensorRows.read(sae.weights().wDec(), feature, 1, row, new short[cols]);
		double dot = 0;
		double norm = 0;
		for(int c = 0; c < cols; c++) {
			dot += row[c] * unit[c];
			norm += row[c] * row[c];
		}
		return norm == 0 ? 0 : dot / Math.sqrt(norm);
	}
}
