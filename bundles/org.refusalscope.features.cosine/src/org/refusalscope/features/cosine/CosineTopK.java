package org.refusalscope.features.cosine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.TensorView;
import org.refusalscope.api.pipeline.ActivationSource;
import org.refusalscope.api.pipeline.Candidate;
import org.refusalscope.api.pipeline.FeatureCollector;
import org.refusalscope.api.pipeline.RefusalDirection;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * The cosine pool of Yeo et al. (method.md section 4.3): for every layer's SAE, the K decoder rows with the highest
 * cosine to the single refusal direction (sign kept, so only aligned features), pooled over layers, best first.
 * Decoder weights are streamed in row blocks.
 */
@Component(service = FeatureCollector.class)
public class CosineTopK implements FeatureCollector<CosineTopK.Settings> {

	/**
	 * @param k      features per layer (10)
	 * @param layers layers to collect from, or null/empty for every SAE given
	 */
	public record Settings(int k, List<Integer> layers) {
	}

	@Override
	public String id() {
		return "cosine-topk";
	}

	@Override
	public String name() {
		return "Cosine top-K per layer";
	}

	@Override
	public String description() {
		return "The K SAE decoder rows per layer with the highest cosine to the refusal direction (sign kept), pooled "
				+ "over layers.";
	}

	@Override
	public Class<Settings> settingsType() {
		return Settings.class;
	}

	@Override
	public Settings defaultSettings() {
		return new Settings(10, null);
	}

	@Override
	public List<Candidate> collect(RefusalDirection direction, Map<Integer, SparseAutoencoder> saes,
			ActivationSource source, List<Prompt> harmful, List<Prompt> harmless, Settings settings,
			ProgressMonitor monitor) {
		Settings s = settings == null ? defaultSettings() : settings;
		ProgressMonitor progress = monitor == null ? ProgressMonitor.NULL : monitor;
		float[] unit = direction.unit();
		Map<Integer, SparseAutoencoder> chosen = new TreeMap<>(saes);
		if(s.layers() != null && !s.layers().isEmpty()) {
			chosen.keySet().retainAll(s.layers());
		}
		progress.begin("Cosine to the refusal direction over " + chosen.size() + " SAEs", chosen.size());
		List<Candidate> pool = new ArrayList<>();
		for(Map.Entry<Integer, SparseAutoencoder> entry : chosen.entrySet()) {
			progress.checkCanceled();
			double[] cosines = cosines(entry.getValue().weights().wDec(), unit);
			for(int feature : topK(cosines, s.k())) {
				pool.add(new Candidate(new FeatureRef(entry.getKey(), feature), cosines[feature], cosines[feature]));
			}
			progress.worked(1);
		}
		pool.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::feature));
		return pool;
	}

	/** Cosine of every decoder row {@code [d_sae, d_in]} with a unit vector; zero rows give 0. */
	public static double[] cosines(TensorView decoder, float[] unit) {
		int rows = (int) decoder.shape()[0];
		int cols = (int) decoder.shape()[1];
		if(cols != unit.length) {
			throw new IllegalArgumentException("decoder " + decoder.name() + " has rows of " + cols
					+ " values but the direction has " + unit.length);
		}
		int block = TensorRows.blockRows(decoder, 1 << 20);
		float[] buffer = new float[block * cols];
		short[] scratch = decoder.bytesPerElement() == 2 ? new short[block * cols] : null;
		double[] out = new double[rows];
		for(int from = 0; from < rows; from += block) {
			int count = Math.min(block, rows - from);
			TensorRows.read(decoder, from, count, buffer, scratch);
			for(int r = 0; r < count; r++) {
				int base = r * cols;
				double dot = 0;
				double norm = 0;
				for(int c = 0; c < cols; c++) {
					float v = buffer[base + c];
					dot += v * unit[c];
					norm += v * v;
				}
				out[from + r] = norm == 0 ? 0 : dot / Math.sqrt(norm);
			}
		}
		return out;
	}

	/** Indices of the k largest values, largest first (lower index first on ties). */
	public static int[] topK(double[] values, int k) {
		Comparator<Integer> weakestFirst = (a, b) -> values[a] != values[b] ? Double.compare(values[a], values[b])
				: Integer.compare(b, a);
		PriorityQueue<Integer> heap = new PriorityQueue<>(weakestFirst);
		for(int i = 0; i < values.length; i++) {
			if(heap.size() < k) {
				heap.add(i);
			} else if(k > 0 && weakestFirst.compare(i, heap.peek()) > 0) {
				heap.poll();
				heap.add(i);
			}
		}
		List<Integer> out = new ArrayList<>(heap);
		out.sort(weakestFirst.reversed());
		return out.stream().mapToInt(Integer::intValue).toArray();
	}
}
