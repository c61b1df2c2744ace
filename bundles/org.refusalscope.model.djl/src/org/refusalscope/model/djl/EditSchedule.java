package org.refusalscope.model.djl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SparseAutoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Applies the edits of one plan per batch row inside the forward pass. Edits at one hook point run in plan order; the
 * k-th edits of all rows form one round, and within a round rows with the same kind of edit (same SAE for SAE edits)
 * are applied together as one tensor operation with per-row coefficients, so a batch of plans costs one encode per
 * SAE, not one per plan. Rows without an edit get zero coefficients, which leaves them bit-identical.
 */
final class EditSchedule {

	private final List<List<Edit>> rows;
	private final Function<SparseAutoencoder, SaeTensors> saes;
	private final int hidden;

	EditSchedule(List<InterventionPlan> plansPerRow, Function<SparseAutoencoder, SaeTensors> saes, int hidden) {
		this.rows = new ArrayList<>();
		for(InterventionPlan plan : plansPerRow) {
			List<Edit> edits = new ArrayList<>();
			for(Edit edit : plan.edits()) {
				if(edit instanceof Edit.LatentEdit latent && latent.latents().length == 0) {
					continue; // an edit of no latents is the identity; skipping keeps the forward bit-exact
				}
				edits.add(edit);
			}
			rows.add(edits);
		}
		this.saes = saes;
		this.hidden = hidden;
	}

	int rowCount() {
		return rows.size();
	}

	/**
	 * How many blocks no row edits inside: they can be computed once for identical sequences. An edit of block l's
	 * {@code resid_post} leaves block l itself unedited (the pass applies such edits after expanding the rows), an
	 * edit at any other hook of block l does not; {@link Integer#MAX_VALUE} when no row edits anything.
	 */
	int uneditedBlocks() {
		int first = Integer.MAX_VALUE;
		for(List<Edit> edits : rows) {
			for(Edit edit : edits) {
				int blocks;
				if(edit.layer() == Edit.ALL_LAYERS) {
					blocks = 0;
				} else {
					blocks = edit.hook() == HookPoint.RESID_POST ? edit.layer() + 1 : edit.layer();
				}
				first = Math.min(first, blocks);
			}
		}
		return first;
	}

	/** The schedule of the given rows (prefix sharing computes unique sequences before the first edit). */
	EditSchedule select(int[] rowIndices) {
		List<InterventionPlan> plans = new ArrayList<>();
		for(int row : rowIndices) {
			plans.add(new InterventionPlan(rows.get(row)));
		}
		return new EditSchedule(plans, saes, hidden);
	}

	static boolean appliesAt(Edit edit, int layer, HookPoint hook) {
		if(edit.layer() == Edit.ALL_LAYERS) {
			if(edit.hook() == HookPoint.RESID_PRE && edit instanceof Edit.ProjectOut) {
				return hook == HookPoint.RESID_PRE || hook == HookPoint.ATTN_OUT || hook == HookPoint.MLP_OUT;
			}
			return edit.hook() == hook;
		}
		return edit.layer() == layer && edit.hook() == hook;
	}

	/**
	 * Applies the edits at this point.
	 *
	 * @param x         {@code [B, T, hidden]} in the compute dtype
	 * @param generated per row and new token, whether it is a generated token ({@code B*T})
	 */
	NDArray apply(NDArray x, int layer, HookPoint hook, boolean[] generated) {
		List<List<Edit>> here = new ArrayList<>();
		int rounds = 0;
		for(List<Edit> edits : rows) {
			List<Edit> at = new ArrayList<>();
			for(Edit edit : edits) {
				if(appliesAt(edit, layer, hook)) {
					at.add(edit);
				}
			}
			here.add(at);
			rounds = Math.max(rounds, at.size());
		}
		for(int round = 0; round < rounds; round++) {
			Map<Object, List<Integer>> groups = new LinkedHashMap<>();
			for(int row = 0; row < here.size(); row++) {
				if(here.get(row).size() > round) {
					groups.computeIfAbsent(groupKey(here.get(row).get(round)), key -> new ArrayList<>()).add(row);
				}
			}
			for(List<Integer> group : groups.values()) {
				Edit[] editOfRow = new Edit[rows.size()];
				for(int row : group) {
					editOfRow[row] = here.get(row).get(round);
				}
				x = applyGroup(x, editOfRow, generated);
			}
		}
		return x;
	}

	private static Object groupKey(Edit edit) {
		return switch(edit) {
			case Edit.AddVector add -> "add";
			case Edit.ProjectOut project -> "project";
			case Edit.LatentEdit latent -> List.of("latent", new Identity(latent.sae()));
			case Edit.SaeReplace replace -> List.of("replace", new Identity(replace.sae()));
		};
	}

	private record Identity(Object value) {
		@Override
		public boolean equals(Object other) {
			return other instanceof Identity identity && identity.value == value;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(value);
		}
	}

	private NDArray applyGroup(NDArray x, Edit[] editOfRow, boolean[] generated) {
		NDManager manager = x.getManager();
		int batch = (int) x.getShape().get(0);
		int tokens = (int) x.getShape().get(1);
		float[] mask = new float[batch * tokens];
		Edit sample = null;
		for(int row = 0; row < batch; row++) {
			Edit edit = editOfRow[row];
			if(edit == null) {
				continue;
			}
			sample = edit;
			for(int t = 0; t < tokens; t++) {
				boolean gen = generated[row * tokens + t];
				PositionScope scope = edit.scope();
				boolean on = scope == PositionScope.ALL || (scope == PositionScope.PROMPT) != gen;
				mask[row * tokens + t] = on ? 1f : 0f;
			}
		}
		NDArray positionMask = manager.create(mask, new Shape(batch, tokens, 1));
		return switch(sample) {
			case Edit.AddVector add -> addVectors(x, editOfRow, positionMask);
			case Edit.ProjectOut project -> projectOut(x, editOfRow, positionMask);
			case Edit.LatentEdit latent -> latentEdit(x, editOfRow, positionMask, saes.apply(latent.sae()));
			case Edit.SaeReplace replace -> saeReplace(x, positionMask, saes.apply(replace.sae()));
			case null -> x;
		};
	}

	private NDArray addVectors(NDArray x, Edit[] editOfRow, NDArray positionMask) {
		float[] vectors = new float[editOfRow.length * hidden];
		for(int row = 0; row < editOfRow.length; row++) {
			if(editOfRow[row] instanceof Edit.AddVector add) {
				checkWidth(add.vector(), "AddVector");
				for(int i = 0; i < hidden; i++) {
					vectors[row * hidden + i] = add.coefficient() * add.vector()[i];
				}
			}
		}
		NDArray delta = x.getManager().create(vectors, new Shape(editOfRow.length, 1, hidden)).mul(positionMask);
		return x.add(delta.toType(x.getDataType(), false));
	}

	private NDArray projectOut(NDArray x, Edit[] editOfRow, NDArray positionMask) {
		float[] directions = new float[editOfRow.length * hidden];
		for(int row = 0; row < editOfRow.length; row++) {
			if(editOfRow[row] instanceof Edit.ProjectOut project) {
				float[] d = project.direction();
				checkWidth(d, "ProjectOut");
				double norm = 0;
				for(float value : d) {
					norm += (double) value * value;
				}
				norm = Math.sqrt(norm);
				if(norm == 0) {
					throw new IllegalArgumentException("ProjectOut direction is the zero vector");
				}
				for(int i = 0; i < hidden; i++) {
					directions[row * hidden + i] = (float) (d[i] / norm);
				}
			}
		}
		NDArray dirs = x.getManager().create(directions, new Shape(editOfRow.length, 1, hidden)).toType(x.getDataType(),
				false);
		NDArray projection = x.mul(dirs).sum(new int[]{-1}, true);
		return x.sub(projection.mul(dirs).mul(positionMask.toType(x.getDataType(), false)));
	}

	/**
	 * {@code x + sum_i (f'_i - f_i) W_dec[i] / s} over the union of the rows' latents; f' - f = f*(a-1) + b with a, b
	 * per row and latent (zero: a=0,b=0; scale c: a=c; set c: a=0,b=c), and 0 for latents a row does not edit.
	 */
	private NDArray latentEdit(NDArray x, Edit[] editOfRow, NDArray positionMask, SaeTensors sae) {
		TreeSet<Integer> union = new TreeSet<>();
		for(Edit edit : editOfRow) {
			if(edit instanceof Edit.LatentEdit latent) {
				for(int latentIndex : latent.latents()) {
					if(latentIndex < 0 || latentIndex >= sae.dSae) {
						throw new IllegalArgumentException("latent " + latentIndex + " is outside the SAE's " + sae.dSae + " latents");
					}
					union.add(latentIndex);
				}
			}
		}
		int[] columns = union.stream().mapToInt(Integer::intValue).toArray();
		Map<Integer, Integer> columnOf = new LinkedHashMap<>();
		for(int i = 0; i < columns.length; i++) {
			columnOf.put(columns[i], i);
		}
		int batch = editOfRow.length;
		float[] slope = new float[batch * columns.length];
		float[] offset = new float[batch * columns.length];
		for(int row = 0; row < batch; row++) {
			if(editOfRow[row] instanceof Edit.LatentEdit latent) {
				for(int latentIndex : latent.latents()) {
					int at = row * columns.length + columnOf.get(latentIndex);
					switch(latent.mode()) {
						case ZERO -> slope[at] = -1f;
						case SCALE -> slope[at] = latent.value() - 1f;
						case SET -> {
							slope[at] = -1f;
							offset[at] = latent.value();
						}
					}
				}
			}
		}
		NDManager manager = x.getManager();
		NDArray x32 = x.toType(DataType.FLOAT32, false);
		long[] columnsLong = new long[columns.length];
		for(int i = 0; i < columns.length; i++) {
			columnsLong[i] = columns[i];
		}
		NDArray columnIndex = manager.create(columnsLong);
		NDArray f;
		if(sae.architecture == SaeArchitecture.TOPK) {
			NDArray all = sae.encode(x32);
			f = all.gather(columnIndex.reshape(1, 1, columns.length).broadcast(all.getShape().get(0),
					all.getShape().get(1), columns.length), 2);
		} else {
			NDArray encColumns = sae.wEnc.gather(columnIndex.reshape(1, columns.length).broadcast(sae.dIn, columns.length),
					1);
			encColumns.attach(manager);
			NDArray bEncColumns = sae.bEnc.gather(columnIndex, 0);
			bEncColumns.attach(manager);
			NDArray thresholdColumns = null;
			if(sae.threshold != null) {
				thresholdColumns = sae.threshold.gather(columnIndex, 0);
				thresholdColumns.attach(manager);
			}
			f = sae.encodeColumns(x32, encColumns, bEncColumns, thresholdColumns);
		}
		NDArray a = manager.create(slope, new Shape(batch, 1, columns.length));
		NDArray b = manager.create(offset, new Shape(batch, 1, columns.length));
		NDArray deltaF = f.mul(a).add(b).mul(positionMask);
		NDArray decColumns = sae.wDec.gather(columnIndex.reshape(columns.length, 1).broadcast(columns.length, sae.dIn), 0);
		decColumns.attach(manager);
		NDArray deltaX = deltaF.matMul(decColumns);
		if(sae.inputScale != 1f) {
			deltaX = deltaX.div(sae.inputScale);
		}
		return x.add(deltaX.toType(x.getDataType(), false));
	}

	private NDArray saeReplace(NDArray x, NDArray positionMask, SaeTensors sae) {
		NDArray x32 = x.toType(DataType.FLOAT32, false);
		NDArray reconstruction = sae.decode(sae.encode(x32)).toType(x.getDataType(), false);
		return NDArrays.where(positionMask.gt(0.5f).broadcast(x.getShape()), reconstruction, x);
	}

	private void checkWidth(float[] vector, String what) {
		if(vector.length != hidden) {
			throw new IllegalArgumentException(what + " vector has " + vector.length + " values, the model's hidden size is "
					+ hidden);
		}
	}
}
