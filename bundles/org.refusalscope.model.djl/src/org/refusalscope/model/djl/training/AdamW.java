package org.refusalscope.model.djl.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;

/**
 * AdamW (Loshchilov and Hutter) on NDArrays: decoupled weight decay on matrices only (not norms), global gradient-norm
 * clipping. Moments live in the weights' manager; per-step temporaries in the step's manager.
 */
public final class AdamW {

	public record Settings(double beta1, double beta2, double eps, double weightDecay, double clipNorm) {

		public static Settings defaults() {
			return new Settings(0.9, 0.95, 1e-8, 0.1, 1.0);
		}
	}

	private final Settings settings;
	private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
	private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
	private long step;

	public AdamW(Settings settings, LlamaWeights weights) {
		this.settings = settings;
		for(Map.Entry<String, NDArray> entry : weights.tensors().entrySet()) {
			firstMoments.put(entry.getKey(), entry.getValue().zerosLike());
			secondMoments.put(entry.getKey(), entry.getValue().zerosLike());
		}
	}

	public long step() {
		return step;
	}

	public Map<String, NDArray> firstMoments() {
		return firstMoments;
	}

	public Map<String, NDArray> secondMoments() {
		return secondMoments;
	}

	/** Restores moments and the step counter from a checkpoint. */
	public void restore(long restoredStep, Map<String, float[]> first, Map<String, float[]> second) {
		step = restoredStep;
		firstMoments.forEach((name, moment) -> moment.set(first.get(name)));
		secondMoments.forEach((name, moment) -> moment.set(second.get(name)));
	}

	/** One update with learning rate lr; returns the gradient norm before clipping. */
	public double update(LlamaWeights weights, double lr, NDManager scratch) {
		return update(weights, lr, scratch, name -> true);
	}

	/**
	 * One update of the tensors that {@code trained} accepts (the others keep their values, moments and are left out of
	 * the gradient norm); returns the gradient norm before clipping.
	 */
	public double update(LlamaWeights weights, double lr, NDManager scratch, java.util.function.Predicate<String> trained) {
		step++;
		Map<String, NDArray> gradients = new LinkedHashMap<>();
		List<NDArray> frozen = new ArrayList<>();
		double squared = 0;
		for(Map.Entry<String, NDArray> entry : weights.tensors().entrySet()) {
			NDArray gradient = entry.getValue().getGradient();
			gradient.attach(scratch);
			if(!trained.test(entry.getKey())) {
				frozen.add(gradient);
				continue;
			}
			gradients.put(entry.getKey(), gradient);
			squared += gradient.square().sum().getFloat();
		}
		clear(frozen);
		double norm = Math.sqrt(squared);
		if(!Double.isFinite(norm)) {
			// an overflowing step would poison the moments and the weights for good: skip it (the bias correction
			// stays as if it had not happened)
			step--;
			clear(gradients.values());
			return norm;
		}
		float clip = (float)(norm > settings.clipNorm() ? settings.clipNorm() / norm : 1.0);
		double correction1 = 1 - Math.pow(settings.beta1(), step);
		double correction2 = 1 - Math.pow(settings.beta2(), step);
		for(Map.Entry<String, NDArray> entry : weights.tensors().entrySet()) {
			String name = entry.getKey();
			if(!gradients.containsKey(name)) {
				continue;
			}
			NDArray weight = entry.getValue();
			NDArray gradient = gradients.get(name).mul(clip);
			NDArray m = firstMoments.get(name);
			NDArray v = secondMoments.get(name);
			m.muli((float)settings.beta1()).addi(gradient.mul((float)(1 - settings.beta1())));
			v.muli((float)settings.beta2()).addi(gradient.square().muli((float)(1 - settings.beta2())));
			if(weight.getShape().dimension() > 1 && settings.weightDecay() > 0) {
				weight.muli((float)(1 - lr * settings.weightDecay()));
			}
			NDArray corrected = v.div((float)correction2);
			corrected.attach(scratch);
			NDArray denominator = corrected.sqrt().addi((float)settings.eps());
			NDArray change = m.mul((float)(lr / correction1));
			change.attach(scratch);
			weight.subi(change.divi(denominator));
		}
		clear(gradients.values());
		return norm;
	}

	/** Zeroes accumulated gradients by filling: subtracting a gradient from itself would turn inf into NaN. */
	private static void clear(java.util.Collection<NDArray> gradients) {
		for(NDArray gradient : gradients) {
			gradient.set(new NDIndex("..."), 0f);
		}
	}
}
