using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace PeerMatch.Matching;

/// <summary>
/// A trained LightGBM regression's trees copied into flat arrays and walked directly: the same scores as ML.NET's
/// prediction pipeline, without building a data view and a row object per pair. A weekly run scores millions of pairs,
/// and group formation scores a few at a time thousands of times; both spent most of their time in that machinery.
/// </summary>
internal sealed class CompiledTrees
{
    // Node n of all trees together: go left when features[_feature[n]] <= _threshold[n]. A child below zero is a leaf,
    // ~child indexing _leaf (which already holds the tree's weight).
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leaf;
    private readonly int[] _roots;
    private readonly double _bias;

    private CompiledTrees(int[] feature, float[] threshold, int[] left, int[] right, double[] leaf, int[] roots, double bias)
    {
        (_feature, _threshold, _left, _right, _leaf, _roots) = (feature, threshold, left, right, leaf, roots);
        _bias = bias;
    }

    /// <summary>The trees of a trained or loaded model, or null when it is not one this class can walk exactly.</summary>
    public static CompiledTrees? From(ITransformer model)
    {
        if (model is not ISingleFeaturePredictionTransformer<object> { Model: TreeEnsembleModelParametersBasedOnRegressionTree trained })
        {
            return null;
        }
        var ensemble = trained.TrainedTreeEnsemble;
        var (feature, threshold, left, right, leaf, roots) = (new List<int>(), new List<float>(), new List<int>(), new List<int>(), new List<double>(), new List<int>());
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(flag => flag))
            {
                return null;
            }
            var (nodeBase, leafBase) = (feature.Count, leaf.Count);
            // A tree of one leaf has no nodes: a root below zero is its leaf.
            roots.Add(tree.NumberOfNodes == 0 ? ~leafBase : nodeBase);
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                feature.Add(tree.NumericalSplitFeatureIndexes[n]);
                threshold.Add(tree.NumericalSplitThresholds[n]);
                left.Add(Rebase(tree.LeftChild[n], nodeBase, leafBase));
                right.Add(Rebase(tree.RightChild[n], nodeBase, leafBase));
            }
            leaf.AddRange(tree.LeafValues.Select(value => value * ensemble.TreeWeights[t]));
        }
        return new CompiledTrees([.. feature], [.. threshold], [.. left], [.. right], [.. leaf], [.. roots], ensemble.Bias);
    }

    private static int Rebase(int child, int nodeBase, int leafBase) => child >= 0 ? child + nodeBase : ~(~child + leafBase);

    /// <summary>The trees' output for each row of <paramref name="features"/>.</summary>
    public void Score(ReadOnlySpan<float> features, Span<float> scores, int width)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Output(features.Slice(i * width, width));
        }
    }

    private float Output(ReadOnlySpan<float> row)
    {
        var sum = _bias;
        foreach (var root in _roots)
        {
            var node = root;
            // A NaN would go right here, where ML.NET substitutes a default value; pair features are never NaN.
            while (node >= 0)
            {
                node = row[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
            }
            sum += _leaf[~node];
        }
        return (float)sum;
    }
}
