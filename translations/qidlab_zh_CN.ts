<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>&lt;h3&gt;QiD Lab %1&lt;/h3&gt;&lt;p&gt;Measures, fits and extrapolates quantization-induced degradation (ΔqLoss) of LLMs.&lt;/p&gt;&lt;p&gt;Please cite the study whose laws QiD Lab implements:&lt;/p&gt;&lt;p&gt;Xu Ouyang, Tao Ge, Thomas Hartvigsen, Zhisong Zhang, Haitao Mi, Dong Yu. &lt;i&gt;Low-Bit Quantization Favors Undertrained LLMs: Scaling Laws for Quantized LLMs with 100T Training Tokens.&lt;/i&gt; ACL 2025. arXiv:2411.17691.&lt;/p&gt;&lt;p&gt;Comparison law: Tanishq Kumar et al. &lt;i&gt;Scaling Laws for Precision.&lt;/i&gt; arXiv:2411.04330, 2024.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;QiD Lab %1&lt;/h3&gt;&lt;p&gt;测量、拟合并外推大语言模型的量化诱导退化（ΔqLoss）。&lt;/p&gt;&lt;p&gt;请引用 QiD Lab 所实现定律的出处：&lt;/p&gt;&lt;p&gt;Xu Ouyang, Tao Ge, Thomas Hartvigsen, Zhisong Zhang, Haitao Mi, Dong Yu. &lt;i&gt;Low-Bit Quantization Favors Undertrained LLMs: Scaling Laws for Quantized LLMs with 100T Training Tokens.&lt;/i&gt; ACL 2025. arXiv:2411.17691.&lt;/p&gt;&lt;p&gt;对比定律：Tanishq Kumar et al. &lt;i&gt;Scaling Laws for Precision.&lt;/i&gt; arXiv:2411.04330, 2024.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About QiD Lab</source>
        <translation>关于 QiD Lab</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>论文</translation>
    </message>
    <message>
        <source>Micro-suite demo (%1)</source>
        <translation>微型套件演示（%1）</translation>
    </message>
</context>
<context>
    <name>qid::ui::ChartCanvas</name>
    <message>
        <source>Selected</source>
        <translation>已选中</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;td colspan=&apos;3&apos;&gt;&lt;b&gt;D = %1 tokens&lt;/b&gt;&lt;/td&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;td colspan=&apos;3&apos;&gt;&lt;b&gt;D = %1 个词元&lt;/b&gt;&lt;/td&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;td&gt;&lt;/td&gt;&lt;td&gt;ΔqLoss&lt;/td&gt;&lt;td&gt;Loss_q&lt;/td&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;td&gt;&lt;/td&gt;&lt;td&gt;ΔqLoss&lt;/td&gt;&lt;td&gt;Loss_q&lt;/td&gt;&lt;/tr&gt;</translation>
    </message>
</context>
<context>
    <name>qid::ui::Charts</name>
    <message>
        <source>ΔqLoss vs bit width</source>
        <translation>ΔqLoss 与位宽</translation>
    </message>
    <message>
        <source>Bit width P (bits)</source>
        <translation>位宽 P（比特）</translation>
    </message>
    <message>
        <source>ΔqLoss (nats/token)</source>
        <translation>ΔqLoss（奈特/词元）</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <source>%1, D = %2</source>
        <translation>%1，D = %2</translation>
    </message>
    <message>
        <source>Quantized loss vs training tokens</source>
        <translation>量化损失与训练词元数</translation>
    </message>
    <message>
        <source>Training tokens D</source>
        <translation>训练词元数 D</translation>
    </message>
    <message>
        <source>Loss_q = Loss16 + ΔqLoss (nats/token)</source>
        <translation>Loss_q = Loss16 + ΔqLoss（奈特/词元）</translation>
    </message>
    <message>
        <source>%1, 16-bit</source>
        <translation>%1，16 位</translation>
    </message>
    <message>
        <source>%1, %2-bit</source>
        <translation>%1，%2 位</translation>
    </message>
    <message>
        <source> (extrapolated)</source>
        <translation>（外推）</translation>
    </message>
    <message>
        <source>random guessing, ln V = %1</source>
        <translation>随机猜测，ln V = %1</translation>
    </message>
    <message>
        <source>Training-level map, %1-bit — %2</source>
        <translation>训练程度图，%1 位 — %2</translation>
    </message>
    <message>
        <source>Training-level map</source>
        <translation>训练程度图</translation>
    </message>
    <message>
        <source>Non-embedding parameters N</source>
        <translation>非嵌入参数量 N</translation>
    </message>
    <message>
        <source>ΔqLoss at %1 bits (nats/token)</source>
        <translation>%1 位时的 ΔqLoss（奈特/词元）</translation>
    </message>
    <message>
        <source>ΔqLoss = %1</source>
        <translation>ΔqLoss = %1</translation>
    </message>
    <message>
        <source>D = 20 N (compute-optimal)</source>
        <translation>D = 20 N（计算最优）</translation>
    </message>
    <message>
        <source>measured checkpoints</source>
        <translation>已测检查点</translation>
    </message>
    <message>
        <source>Predicted vs actual ΔqLoss — %1</source>
        <translation>预测与实际 ΔqLoss — %1</translation>
    </message>
    <message>
        <source>Predicted vs actual ΔqLoss</source>
        <translation>预测与实际 ΔqLoss</translation>
    </message>
    <message>
        <source>Actual ΔqLoss (nats/token)</source>
        <translation>实际 ΔqLoss（奈特/词元）</translation>
    </message>
    <message>
        <source>Predicted ΔqLoss (nats/token)</source>
        <translation>预测 ΔqLoss（奈特/词元）</translation>
    </message>
    <message>
        <source>measured, %1-bit</source>
        <translation>实测，%1 位</translation>
    </message>
    <message>
        <source>perfect prediction (y = x)</source>
        <translation>完美预测（y = x）</translation>
    </message>
    <message>
        <source>±2× of the law</source>
        <translation>定律的 ±2 倍</translation>
    </message>
    <message>
        <source>ΔqLoss vs model size</source>
        <translation>ΔqLoss 与模型规模</translation>
    </message>
    <message>
        <source>%1-bit, D = %2</source>
        <translation>%1 位，D = %2</translation>
    </message>
    <message>
        <source>ΔqLoss vs training tokens — %1</source>
        <translation>ΔqLoss 与训练词元数 — %1</translation>
    </message>
    <message>
        <source>ΔqLoss vs training tokens</source>
        <translation>ΔqLoss 与训练词元数</translation>
    </message>
    <message>
        <source>at handle</source>
        <translation>手柄处</translation>
    </message>
    <message>
        <source>%1 (dotted)</source>
        <translation>%1（点线）</translation>
    </message>
    <message>
        <source>95% bootstrap band</source>
        <translation>95% 自助法置信带</translation>
    </message>
    <message>
        <source> band</source>
        <translation> 置信带</translation>
    </message>
    <message>
        <source>extrapolated (P outside the fit)</source>
        <translation>外推（P 超出拟合范围）</translation>
    </message>
    <message>
        <source>extrapolated (D beyond the fit)</source>
        <translation>外推（D 超出拟合范围）</translation>
    </message>
    <message>
        <source>extrapolated (N beyond the fit)</source>
        <translation>外推（N 超出拟合范围）</translation>
    </message>
    <message>
        <source>worse than random, %1</source>
        <translation>比随机猜测更差，%1</translation>
    </message>
    <message>
        <source>No fluctuation data: run qidlab-cli fluctuation or the micro-suite demo (File → Run the micro-suite demo…).</source>
        <translation>没有权重波动数据：请运行 qidlab-cli fluctuation 或微型套件演示（文件 → 运行微型套件演示…）。</translation>
    </message>
    <message>
        <source>Weight fluctuation (Figure 12)</source>
        <translation>权重波动（图 12）</translation>
    </message>
    <message>
        <source>Checkpoint step</source>
        <translation>检查点步数</translation>
    </message>
    <message>
        <source>Checkpoint step (boxes: quartiles, median; whiskers: 5th–95th percentile)</source>
        <translation>检查点步数（箱体：四分位数、中位数；须线：第 5–95 百分位数）</translation>
    </message>
    <message>
        <source>Checkpoint step (boxes: quartiles, median; whiskers: 5th–95th percentile, min–max for rows stored without percentiles)</source>
        <translation>检查点步数（箱体：四分位数、中位数；须线：第 5–95 百分位数，未存百分位数的行为最小值–最大值）</translation>
    </message>
    <message>
        <source>|ΔW| and |Q(W) − W|</source>
        <translation>|ΔW| 与 |Q(W) − W|</translation>
    </message>
    <message>
        <source>No fluctuation data for the models the filter shows.</source>
        <translation>筛选所显示的模型没有权重波动数据。</translation>
    </message>
    <message>
        <source>Weight fluctuation — %1 (%2)</source>
        <translation>权重波动 — %1（%2）</translation>
    </message>
    <message>
        <source>|ΔW| training movement</source>
        <translation>|ΔW| 训练移动</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>|Q(W) − W|, %1-bit</source>
        <translation>|Q(W) − W|，%1 位</translation>
    </message>
    <message>
        <source>step %1, %2-bit</source>
        <translation>第 %1 步，%2 位</translation>
    </message>
    <message>
        <source>Ratio: median |Q(W) − W| / median |ΔW|</source>
        <translation>比值：|Q(W) − W| 中位数 / |ΔW| 中位数</translation>
    </message>
    <message>
        <source>Ratio: median |Q(W) − W| / median |ΔW| (%1)</source>
        <translation>比值：|Q(W) − W| 中位数 / |ΔW| 中位数（%1）</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <source>No shown measurement has a fluctuation row: sweep the analysed checkpoints, or widen the filter.</source>
        <translation>所显示的测量都没有权重波动数据：请扫描已分析的检查点，或放宽筛选。</translation>
    </message>
    <message>
        <source>push = movement (ratio 1)</source>
        <translation>推移 = 移动（比值 1）</translation>
    </message>
    <message>
        <source>ΔqLoss vs ratio: Spearman ρ = %1 (n = %2)</source>
        <translation>ΔqLoss 与比值：Spearman ρ = %1（n = %2）</translation>
    </message>
</context>
<context>
    <name>qid::ui::CurveControls</name>
    <message>
        <source>Hypothetical model sizes drawn from the law, e.g. 7B, 70B, 405B</source>
        <translation>按定律绘制的假想模型规模，例如 7B, 70B, 405B</translation>
    </message>
    <message>
        <source>Bit widths, e.g. 2, 3, 4</source>
        <translation>位宽，例如 2, 3, 4</translation>
    </message>
    <message>
        <source>Extrapolation horizon in tokens (or drag the handle in the chart)</source>
        <translation>外推终点（词元数），也可在图中拖动手柄</translation>
    </message>
    <message>
        <source>Sizes:</source>
        <translation>规模：</translation>
    </message>
    <message>
        <source>Bits:</source>
        <translation>位宽：</translation>
    </message>
    <message>
        <source>Horizon D:</source>
        <translation>外推终点 D：</translation>
    </message>
    <message>
        <source>Cannot read the sizes &apos;%1&apos;; write them like 7B, 70B, 405B</source>
        <translation>无法读取规模“%1”；请写成 7B, 70B, 405B 的形式</translation>
    </message>
    <message>
        <source>Cannot read the bit widths &apos;%1&apos;; write them like 2, 3, 4</source>
        <translation>无法读取位宽“%1”；请写成 2, 3, 4 的形式</translation>
    </message>
    <message>
        <source>Cannot read the horizon &apos;%1&apos;; write it like 1e14</source>
        <translation>无法读取外推终点“%1”；请写成 1e14 的形式</translation>
    </message>
</context>
<context>
    <name>qid::ui::DownloadJob</name>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>cancelled; partial files are kept and resume next time</source>
        <translation>已取消；已下载的部分会保留，下次继续</translation>
    </message>
    <message numerus="yes">
        <source>%n checkpoint(s) in the cache</source>
        <translation><numerusform>缓存中有 %n 个检查点</numerusform></translation>
    </message>
</context>
<context>
    <name>qid::ui::DownloadPanel</name>
    <message>
        <source>Hub checkpoints download into the Hugging Face cache (HF_HUB_CACHE), shared with Python; a cancelled download resumes next time.</source>
        <translation>Hub 检查点下载到 Hugging Face 缓存（HF_HUB_CACHE），与 Python 共用；取消的下载下次会继续。</translation>
    </message>
    <message>
        <source>Cancel the download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · checkpoint %2 of %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · 第 %2 个检查点，共 %3 个</translation>
    </message>
</context>
<context>
    <name>qid::ui::EvaluationLauncher</name>
    <message>
        <source>Download cancelled; the evaluation did not start</source>
        <translation>下载已取消；评测未开始</translation>
    </message>
    <message>
        <source>Download failed: %1</source>
        <translation>下载失败：%1</translation>
    </message>
    <message>
        <source>Cannot start the evaluation: %1</source>
        <translation>无法开始评测：%1</translation>
    </message>
    <message numerus="yes">
        <source>Downloading %n checkpoint(s) from the hub first</source>
        <translation><numerusform>先从 Hub 下载 %n 个检查点</numerusform></translation>
    </message>
</context>
<context>
    <name>qid::ui::ExtrapolationHandle</name>
    <message>
        <source>Drag to move the extrapolation horizon</source>
        <translation>拖动以移动外推终点</translation>
    </message>
</context>
<context>
    <name>qid::ui::JobQueuePanel</name>
    <message>
        <source>New evaluation…</source>
        <translation>新建评测…</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>清除已完成</translation>
    </message>
    <message>
        <source>No jobs. Start one with File → New evaluation…, or see QiD Lab at work: the micro-suite demo trains tiny models, sweeps them and fills the charts live.</source>
        <translation>没有任务。可通过 文件 → 新建评估… 开始，或看看 QiD Lab 如何工作：微型套件演示会训练小模型、扫描它们并实时填充图表。</translation>
    </message>
    <message>
        <source>Run the micro-suite demo…</source>
        <translation>运行微型套件演示…</translation>
    </message>
</context>
<context>
    <name>qid::ui::JobRow</name>
    <message>
        <source>Cancel this job: queued cells are dropped, running ones are asked to stop</source>
        <translation>取消此任务：排队的单元被丢弃，运行中的单元被请求停止</translation>
    </message>
    <message>
        <source>Show why cells failed</source>
        <translation>显示单元失败的原因</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 · %3</translation>
    </message>
    <message>
        <source>%v of %m cells (%1 failed)</source>
        <translation>%v / %m 个单元（%1 个失败）</translation>
    </message>
    <message>
        <source>%v of %m cells</source>
        <translation>%v / %m 个单元</translation>
    </message>
    <message>
        <source>Resume this job</source>
        <translation>继续此任务</translation>
    </message>
    <message>
        <source>Pause: running cells finish, no new cell starts</source>
        <translation>暂停：运行中的单元会完成，不再启动新单元</translation>
    </message>
    <message>
        <source>Failed cells</source>
        <translation>失败的单元</translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) of %1 failed; the other cells are not affected.</source>
        <translation><numerusform>%1 中有 %n 个单元失败；其他单元不受影响。</numerusform></translation>
    </message>
    <message>
        <source>%1: %v of %m</source>
        <translation>%1：%v / %m</translation>
    </message>
</context>
<context>
    <name>qid::ui::Language</name>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
</context>
<context>
    <name>qid::ui::LawInspector</name>
    <message>
        <source>Refitting %1 on %2 rows (with %3 bootstrap resamples; %4 duplicate revisions left out)…</source>
        <translation>正在用 %2 行重新拟合 %1（%3 次自助重采样；已排除 %4 个重复修订版本）…</translation>
    </message>
    <message>
        <source>Refit on selection</source>
        <translation>按所选数据重新拟合</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>95% CI</source>
        <translation>95% 置信区间</translation>
    </message>
    <message>
        <source>Fit this law&apos;s family on the rows selected in the measurements table</source>
        <translation>用测量表中选中的行拟合此定律族</translation>
    </message>
    <message>
        <source>Law:</source>
        <translation>定律：</translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation>对比：</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a number</source>
        <translation>“%1”不是数字</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>R² %1   AIC %2   BIC %3   CV error %4   (%5 points)</source>
        <translation>R² %1   AIC %2   BIC %3   交叉验证误差 %4   （%5 个点）</translation>
    </message>
    <message>
        <source>No law loaded.</source>
        <translation>未加载定律。</translation>
    </message>
    <message>
        <source>Refitting %1 on %2 rows (with %3 bootstrap resamples)…</source>
        <translation>正在用 %2 行重新拟合 %1（自助法重采样 %3 次）…</translation>
    </message>
    <message>
        <source>Refit failed: %1</source>
        <translation>重新拟合失败：%1</translation>
    </message>
    <message>
        <source>Fitted %1 on %2 points</source>
        <translation>已用 %2 个点拟合 %1</translation>
    </message>
</context>
<context>
    <name>qid::ui::MainWindow</name>
    <message>
        <source>Following the Slurm array of %1 again</source>
        <translation>重新跟踪 %1 的 Slurm 数组</translation>
    </message>
    <message>
        <source>Cannot tell where a Slurm array stands: %1</source>
        <translation>无法确定 Slurm 数组的状态：%1</translation>
    </message>
    <message>
        <source>ΔqLoss vs tokens</source>
        <translation>ΔqLoss 与词元数</translation>
    </message>
    <message>
        <source>vs model size</source>
        <translation>与模型规模</translation>
    </message>
    <message>
        <source>vs bit width</source>
        <translation>与位宽</translation>
    </message>
    <message>
        <source>Loss_q vs tokens</source>
        <translation>Loss_q 与词元数</translation>
    </message>
    <message>
        <source>Training-level map</source>
        <translation>训练程度图</translation>
    </message>
    <message>
        <source>Predicted vs actual</source>
        <translation>预测与实际</translation>
    </message>
    <message>
        <source>QiD Lab</source>
        <translation>QiD Lab</translation>
    </message>
    <message>
        <source>Table 1</source>
        <translation>表 1</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Law inspector</source>
        <translation>定律检查器</translation>
    </message>
    <message>
        <source>Measurements</source>
        <translation>测量数据</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Refitted %1 on %2 points</source>
        <translation>已用 %2 个点重新拟合 %1</translation>
    </message>
    <message>
        <source>Drag the handle on the tokens chart to move the extrapolation horizon.</source>
        <translation>在词元数图上拖动手柄以移动外推终点。</translation>
    </message>
    <message>
        <source>%1[*] — QiD Lab</source>
        <translation>%1[*] — QiD Lab</translation>
    </message>
    <message>
        <source>Cannot start the evaluation</source>
        <translation>无法开始评测</translation>
    </message>
    <message>
        <source>Evaluation %1 queued</source>
        <translation>评测 %1 已加入队列</translation>
    </message>
    <message>
        <source>Cannot read the new result: %1</source>
        <translation>无法读取新结果：%1</translation>
    </message>
    <message>
        <source>Jobs are running</source>
        <translation>任务正在运行</translation>
    </message>
    <message>
        <source>Evaluations or downloads are still running. Stop them, or keep them running and quit when they are done?</source>
        <translation>评测或下载仍在运行。要停止它们，还是让它们继续运行并在完成后退出？</translation>
    </message>
    <message>
        <source>Stop jobs and quit</source>
        <translation>停止任务并退出</translation>
    </message>
    <message>
        <source>Keep them, quit when done</source>
        <translation>保留任务，完成后退出</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open the &amp;Paper project</source>
        <translation>打开论文项目(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;New evaluation…</source>
        <translation>新建评测(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Export figure…</source>
        <translation>导出图表(&amp;E)…</translation>
    </message>
    <message>
        <source>Export plotted data as &amp;CSV…</source>
        <translation>将绘图数据导出为 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>Export &amp;matplotlib script…</source>
        <translation>导出 matplotlib 脚本(&amp;M)…</translation>
    </message>
    <message>
        <source>Export &amp;style</source>
        <translation>导出样式(&amp;S)</translation>
    </message>
    <message>
        <source>Single column (%1 in)</source>
        <translation>单栏（%1 英寸）</translation>
    </message>
    <message>
        <source>Double column (%1 in)</source>
        <translation>双栏（%1 英寸）</translation>
    </message>
    <message>
        <source>Screen (%1 in)</source>
        <translation>屏幕（%1 英寸）</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Bootstrap uncertainty &amp;bands</source>
        <translation>自助法不确定性带(&amp;B)</translation>
    </message>
    <message>
        <source>%1 has no bootstrap samples: refit it on data (Law inspector) to get bands</source>
        <translation>%1 没有自助法样本：请在定律检查器中用数据重新拟合以获得置信带</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language changes when QiD Lab restarts.</source>
        <translation>重启 QiD Lab 后语言生效。</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About QiD Lab</source>
        <translation>关于 QiD Lab(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>Paper (bundled)</source>
        <translation>论文（内置）</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>QiD Lab projects (*.qidlab);;All files (*)</source>
        <translation>QiD Lab 项目 (*.qidlab);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export figure (%1 column style)</source>
        <translation>导出图表（%1 栏样式）</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</source>
        <translation>PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>已写入 %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Export matplotlib script</source>
        <translation>导出 matplotlib 脚本</translation>
    </message>
    <message>
        <source>Export plotted data</source>
        <translation>导出绘图数据</translation>
    </message>
    <message>
        <source>Python (*.py)</source>
        <translation>Python (*.py)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Weight fluctuation</source>
        <translation>权重波动</translation>
    </message>
    <message>
        <source>ΔqLoss vs fluctuation</source>
        <translation>ΔqLoss 与波动</translation>
    </message>
    <message>
        <source>Run the micro-suite &amp;demo…</source>
        <translation>运行微型套件演示(&amp;D)…</translation>
    </message>
    <message>
        <source>Cannot start the demo</source>
        <translation>无法启动演示</translation>
    </message>
    <message>
        <source>Micro-suite demo (%1) queued into %2</source>
        <translation>微型套件演示（%1）已排队，输出到 %2</translation>
    </message>
    <message>
        <source>Cannot read the fluctuation rows: %1</source>
        <translation>无法读取权重波动数据：%1</translation>
    </message>
    <message>
        <source>Cannot load the fitted law: %1</source>
        <translation>无法加载拟合的定律：%1</translation>
    </message>
    <message>
        <source>Micro-suite demo done: %1</source>
        <translation>微型套件演示完成：%1</translation>
    </message>
    <message>
        <source>Cannot submit the evaluation to Slurm</source>
        <translation>无法将评估提交到 Slurm</translation>
    </message>
    <message>
        <source>Evaluation %1 is being submitted to Slurm</source>
        <translation>正在将评估 %1 提交到 Slurm</translation>
    </message>
</context>
<context>
    <name>qid::ui::MeasurementTableModel</name>
    <message>
        <source>%1 (duplicate)</source>
        <translation>%1（重复）</translation>
    </message>
    <message>
        <source>Duplicate revision: its weights are identical to %1. Left out of fits.</source>
        <translation>重复的修订版本：其权重与 %1 完全相同。不参与拟合。</translation>
    </message>
    <message>
        <source>Tabulated from the paper; not a measurement</source>
        <translation>取自论文表格，并非实测</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>D (tokens)</source>
        <translation>D（词元）</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>位宽</translation>
    </message>
    <message>
        <source>Loss16</source>
        <translation>Loss16</translation>
    </message>
    <message>
        <source>Loss_q</source>
        <translation>Loss_q</translation>
    </message>
    <message>
        <source>ΔqLoss</source>
        <translation>ΔqLoss</translation>
    </message>
    <message>
        <source>Std. err.</source>
        <translation>标准误</translation>
    </message>
    <message>
        <source>KL</source>
        <translation>KL 散度</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
</context>
<context>
    <name>qid::ui::MeasurementsPanel</name>
    <message>
        <source>min N, e.g. 70M</source>
        <translation>最小 N，例如 70M</translation>
    </message>
    <message>
        <source>max N, e.g. 7B</source>
        <translation>最大 N，例如 7B</translation>
    </message>
    <message>
        <source>Show one quantization method</source>
        <translation>只显示一种量化方法</translation>
    </message>
    <message>
        <source>Show one bit width</source>
        <translation>只显示一种位宽</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <source>Bits:</source>
        <translation>位宽：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>规模：</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
</context>
<context>
    <name>qid::ui::NewEvaluationDialog</name>
    <message>
        <source>Also measure the KL divergence from the 16-bit model</source>
        <translation>同时测量相对 16 位模型的 KL 散度</translation>
    </message>
    <message>
        <source>How the text becomes scored windows: gptq-paper (the paper&apos;s protocol), llamacpp (second half of each window), lm-eval-rolling (per document)</source>
        <translation>文本如何切分为计分窗口：gptq-paper（论文的协议）、llamacpp（每个窗口的后半部分）、lm-eval-rolling（逐文档）</translation>
    </message>
    <message>
        <source>KL(P16 || Pq) per token, measured in the same pass; keeps a 16-bit copy of the weights (twice the memory)</source>
        <translation>每个词元的 KL(P16 || Pq)，在同一遍计算中测得；保留一份 16 位权重副本（内存加倍）</translation>
    </message>
    <message>
        <source>Recipe:</source>
        <translation>评测方案：</translation>
    </message>
    <message>
        <source>New evaluation</source>
        <translation>新建评测</translation>
    </message>
    <message>
        <source>The project file the measurements are written to (created when missing)</source>
        <translation>测量结果写入的项目文件（不存在时会创建）</translation>
    </message>
    <message>
        <source>Add folders…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Checkpoint folders (config.json plus safetensors), e.g. step1000, step2000</source>
        <translation>检查点文件夹（config.json 与 safetensors），例如 step1000、step2000</translation>
    </message>
    <message>
        <source>Checkpoint folders</source>
        <translation>检查点文件夹</translation>
    </message>
    <message>
        <source>Pythia suite (hub)</source>
        <translation>Pythia 系列（Hub）</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Bit widths, e.g. 2, 3, 4 (NF4/FP4 take 4, INT8 takes 8)</source>
        <translation>位宽，例如 2, 3, 4（NF4/FP4 为 4，INT8 为 8）</translation>
    </message>
    <message>
        <source>per channel</source>
        <translation>逐通道</translation>
    </message>
    <message>
        <source>Methods:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <source>Bits:</source>
        <translation>位宽：</translation>
    </message>
    <message>
        <source>Group size:</source>
        <translation>分组大小：</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>e.g. wikitext-2 wiki.test.raw</source>
        <translation>例如 wikitext-2 的 wiki.test.raw</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>e.g. wiki.train.raw (GPTQ and AWQ need it)</source>
        <translation>例如 wiki.train.raw（GPTQ 和 AWQ 需要）</translation>
    </message>
    <message>
        <source>Evaluation text:</source>
        <translation>评测文本：</translation>
    </message>
    <message>
        <source>Text (*.txt *.raw);;All files (*)</source>
        <translation>文本 (*.txt *.raw);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>序列长度：</translation>
    </message>
    <message>
        <source>Windows:</source>
        <translation>窗口数：</translation>
    </message>
    <message>
        <source>Calibration text:</source>
        <translation>校准文本：</translation>
    </message>
    <message>
        <source>Calibration samples:</source>
        <translation>校准样本数：</translation>
    </message>
    <message>
        <source>Where the cells run: cpu, or a GPU such as cuda:0</source>
        <translation>单元运行的设备：cpu，或 GPU（如 cuda:0）</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Project file:</source>
        <translation>项目文件：</translation>
    </message>
    <message>
        <source>QiD Lab projects (*.qidlab)</source>
        <translation>QiD Lab 项目 (*.qidlab)</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Estimate:</source>
        <translation>预估：</translation>
    </message>
    <message>
        <source>Run here</source>
        <translation>在本机运行</translation>
    </message>
    <message>
        <source>Browse</source>
        <translation>浏览</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Add a checkpoint folder</source>
        <translation>添加检查点文件夹</translation>
    </message>
    <message>
        <source>%1 cells: %2 checkpoints (%3 from the hub, %4 of them cached) × %5 method settings</source>
        <translation>%1 个单元：%2 个检查点（%3 个来自 Hub，其中 %4 个已缓存）× %5 种方法设置</translation>
    </message>
    <message>
        <source> — cannot read the bits &apos;%1&apos;</source>
        <translation> — 无法读取位宽“%1”</translation>
    </message>
    <message>
        <source> — choose an evaluation text</source>
        <translation> — 请选择评测文本</translation>
    </message>
    <message>
        <source>Run on Slurm…</source>
        <translation>在 Slurm 上运行…</translation>
    </message>
    <message>
        <source>Submit the cells to a Slurm cluster as a job array; results come back as they land</source>
        <translation>将这些单元作为作业数组提交到 Slurm 集群；结果完成后即返回</translation>
    </message>
    <message>
        <source>Slurm runs take checkpoint folders; Pythia suite checkpoints run here</source>
        <translation>Slurm 运行需要检查点文件夹；Pythia 套件检查点只能在本机运行</translation>
    </message>
</context>
<context>
    <name>qid::ui::ProjectSession</name>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
    <message>
        <source>Change filter</source>
        <translation>更改筛选</translation>
    </message>
    <message>
        <source>Change model sizes</source>
        <translation>更改模型规模</translation>
    </message>
    <message>
        <source>Change bit widths</source>
        <translation>更改位宽</translation>
    </message>
    <message>
        <source>Change Table 1 axes</source>
        <translation>更改表 1 的行列</translation>
    </message>
    <message>
        <source>Move extrapolation handle</source>
        <translation>移动外推手柄</translation>
    </message>
</context>
<context>
    <name>qid::ui::PythiaSuitePicker</name>
    <message>
        <source>deduped</source>
        <translation>去重版</translation>
    </message>
    <message>
        <source>Steps: step numbers, LO..HI or LO..HI/STRIDE, comma-separated (e.g. 0,512,1000..143000/8000)</source>
        <translation>步数：单个步数、LO..HI 或 LO..HI/步长，用逗号分隔（例如 0,512,1000..143000/8000）</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <source>Tick the checkpoints to evaluate; ● marks those already in the cache (no download). Click a size to tick its row.</source>
        <translation>勾选要评测的检查点；● 表示已在缓存中（无需下载）。点击规模可勾选整行。</translation>
    </message>
    <message>
        <source>Steps: %1</source>
        <translation>步数：%1</translation>
    </message>
    <message>
        <source>%1 step %2 (D = %3 tokens)%4</source>
        <translation>%1 第 %2 步（D = %3 个词元）%4</translation>
    </message>
    <message>
        <source>, in the cache</source>
        <translation>，已缓存</translation>
    </message>
</context>
<context>
    <name>qid::ui::SweepJob</name>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>preparing</source>
        <translation>准备中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>正在停止</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>%1: %2 %3/%4</source>
        <translation>%1：%2 %3/%4</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>qid::ui::TokenTableView</name>
    <message>
        <source>Model sizes N, e.g. 1B, 7B, 70B, 405B</source>
        <translation>模型规模 N，例如 1B, 7B, 70B, 405B</translation>
    </message>
    <message>
        <source>Target ΔqLoss values, e.g. 0.2, 0.3, 0.4, 0.5</source>
        <translation>目标 ΔqLoss 值，例如 0.2, 0.3, 0.4, 0.5</translation>
    </message>
    <message>
        <source>Bit widths, e.g. 2, 3, 4</source>
        <translation>位宽，例如 2, 3, 4</translation>
    </message>
    <message>
        <source>Copy as LaTeX</source>
        <translation>复制为 LaTeX</translation>
    </message>
    <message>
        <source>Copy as Markdown</source>
        <translation>复制为 Markdown</translation>
    </message>
    <message>
        <source>Copy as CSV</source>
        <translation>复制为 CSV</translation>
    </message>
    <message>
        <source>Sizes:</source>
        <translation>规模：</translation>
    </message>
    <message>
        <source>Target ΔqLoss:</source>
        <translation>目标 ΔqLoss：</translation>
    </message>
    <message>
        <source>Bits:</source>
        <translation>位宽：</translation>
    </message>
    <message>
        <source>Write sizes like 7B, 70B, targets like 0.2, 0.3 and bits like 2, 3, 4</source>
        <translation>规模请写成 7B, 70B，目标写成 0.2, 0.3，位宽写成 2, 3, 4</translation>
    </message>
    <message>
        <source>No law to tabulate.</source>
        <translation>没有可制表的定律。</translation>
    </message>
    <message>
        <source>Cannot tabulate %1: %2</source>
        <translation>无法为 %1 制表：%2</translation>
    </message>
    <message>
        <source>Training tokens (trillions) at which a model of N parameters, quantized to %1 bits, reaches each target ΔqLoss; law %2. “—”: the target is out of reach.</source>
        <translation>参数量为 N 的模型量化到 %1 位后，达到各目标 ΔqLoss 所需的训练词元数（万亿）；定律 %2。“—”：无法达到该目标。</translation>
    </message>
    <message>
        <source>ΔqLoss = %1</source>
        <translation>ΔqLoss = %1</translation>
    </message>
    <message>
        <source>Copied the table to the clipboard</source>
        <translation>已将表格复制到剪贴板</translation>
    </message>
</context>
<context>
    <name>qid::ui::ReproduceJob</name>
    <message>
        <source>%1 (%2/%3)</source>
        <translation>%1（%2/%3）</translation>
    </message>
    <message>
        <source>%1 done: %2</source>
        <translation>%1 完成：%2</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>qid::ui::DemoDialog</name>
    <message>
        <source>Run the micro-suite demo</source>
        <translation>运行微型套件演示</translation>
    </message>
    <message>
        <source>QiD Lab trains a suite of tiny language models, quantizes every checkpoint with RTN and GPTQ at 2, 3 and 4 bits, measures the weight fluctuation between checkpoints and fits the paper&apos;s laws. The measurements appear in the charts as they land.</source>
        <translation>QiD Lab 会训练一组小型语言模型，用 RTN 和 GPTQ 在 2、3、4 位下量化每个检查点，测量检查点之间的权重波动，并拟合论文中的定律。每个测量结果一出来就会显示在图表中。</translation>
    </message>
    <message>
        <source>tiny — a quick look (a minute or two)</source>
        <translation>tiny — 快速一览（一两分钟）</translation>
    </message>
    <message>
        <source>quick — about 5 minutes on 2 cores</source>
        <translation>quick — 2 核约 5 分钟</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>The King James Bible (Debian&apos;s bible-kjv)</source>
        <translation>英王钦定版圣经（Debian 的 bible-kjv）</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>输出文件夹：</translation>
    </message>
    <message>
        <source>Training text:</source>
        <translation>训练文本：</translation>
    </message>
    <message>
        <source>Sweep workers:</source>
        <translation>扫描工作线程：</translation>
    </message>
    <message>
        <source>Run the demo</source>
        <translation>运行演示</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>Training text</source>
        <translation>训练文本</translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>qid::ui::SlurmArrayJob</name>
    <message>
        <source>following the array submitted earlier…</source>
        <translation>正在跟踪之前提交的数组…</translation>
    </message>
    <message>
        <source>resubmitting the missing tasks…</source>
        <translation>正在重新提交缺失的任务…</translation>
    </message>
    <message>
        <source>nothing to retry: no task has cells missing</source>
        <translation>无需重试：没有任务缺少单元</translation>
    </message>
    <message>
        <source>resubmitted task(s) %1 as array job %2</source>
        <translation>已将任务 %1 重新提交为数组作业 %2</translation>
    </message>
    <message>
        <source>following array job %1</source>
        <translation>正在跟踪数组作业 %1</translation>
    </message>
    <message>
        <source>%1 pending, %2 running, %3 done, %4 failed</source>
        <translation>%1 个等待，%2 个运行中，%3 个完成，%4 个失败</translation>
    </message>
    <message>
        <source>, %1 cancelled</source>
        <translation>，%1 个已取消</translation>
    </message>
    <message>
        <source>, %1 unknown</source>
        <translation>，%1 个未知</translation>
    </message>
    <message>
        <source>%1 cells landed, %2 in the project</source>
        <translation>已完成 %1 个单元，项目中有 %2 个</translation>
    </message>
    <message>
        <source>%1 of %2 cells landed, %3 in the project</source>
        <translation>已完成 %1 / %2 个单元，项目中有 %3 个</translation>
    </message>
    <message>
        <source>task %1: %2</source>
        <translation>任务 %1：%2</translation>
    </message>
    <message>
        <source>, exit %1</source>
        <translation>，退出码 %1</translation>
    </message>
    <message>
        <source>, %1 of %2 cells missing</source>
        <translation>，缺少 %1 / %2 个单元</translation>
    </message>
    <message>
        <source>; log %1</source>
        <translation>；日志 %1</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>submitting</source>
        <translation>提交中</translation>
    </message>
    <message>
        <source>on Slurm</source>
        <translation>在 Slurm 上</translation>
    </message>
    <message>
        <source>cancelling</source>
        <translation>取消中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>submitting to Slurm…</source>
        <translation>正在提交到 Slurm…</translation>
    </message>
    <message>
        <source>cancelling the array (scancel)…</source>
        <translation>正在取消数组（scancel）…</translation>
    </message>
    <message>
        <source>submitted as array job %1</source>
        <translation>已作为数组作业 %1 提交</translation>
    </message>
    <message>
        <source>%1 of %2 cells are not in the project (see the result file errors above)</source>
        <translation>%2 个单元中有 %1 个不在项目中（见上方的结果文件错误）</translation>
    </message>
</context>
<context>
    <name>qid::ui::SlurmJobRow</name>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Resubmit the tasks whose cells are missing; cells that landed are not run again</source>
        <translation>重新提交缺少单元的任务；已完成的单元不会再次运行</translation>
    </message>
    <message>
        <source>Cancel the array on Slurm (scancel); cells that landed are still ingested</source>
        <translation>在 Slurm 上取消该数组（scancel）；已完成的单元仍会导入</translation>
    </message>
    <message>
        <source>Show what went wrong</source>
        <translation>显示出错原因</translation>
    </message>
    <message>
        <source>Slurm</source>
        <translation>Slurm</translation>
    </message>
    <message>
        <source>Slurm array %1</source>
        <translation>Slurm 数组 %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 · %3</translation>
    </message>
    <message>
        <source>%v of %m tasks ended</source>
        <translation>已结束 %v / %m 个任务</translation>
    </message>
    <message>
        <source>%v of %m cells landed</source>
        <translation>已完成 %v / %m 个单元</translation>
    </message>
    <message>
        <source>Slurm array</source>
        <translation>Slurm 数组</translation>
    </message>
    <message>
        <source>%1 on Slurm: %2. The results that landed stay in the results folder and the project; `qidlab-cli slurm status`, `ingest` and `retry` take it from here.</source>
        <translation>%1 在 Slurm 上：%2。已完成的结果保留在结果文件夹和项目中；可用 `qidlab-cli slurm status`、`ingest` 和 `retry` 继续处理。</translation>
    </message>
</context>
<context>
    <name>qid::ui::SlurmResumeCheck</name>
    <message>
        <source>Slurm array %1 (%2): %3</source>
        <translation>Slurm 数组 %1（%2）：%3</translation>
    </message>
</context>
<context>
    <name>qid::ui::SlurmSubmitDialog</name>
    <message>
        <source>Run on Slurm</source>
        <translation>在 Slurm 上运行</translation>
    </message>
    <message>
        <source>Preview script</source>
        <translation>预览脚本</translation>
    </message>
    <message>
        <source>A folder this computer and every node can read and write (shared storage)</source>
        <translation>本机和每个节点都能读写的文件夹（共享存储）</translation>
    </message>
    <message>
        <source>Tasks in the job array; each runs one share of the cells</source>
        <translation>作业数组中的任务数；每个任务运行一部分单元</translation>
    </message>
    <message>
        <source>the cluster&apos;s default</source>
        <translation>集群默认值</translation>
    </message>
    <message>
        <source>e.g. gpu:1</source>
        <translation>例如 gpu:1</translation>
    </message>
    <message>
        <source>e.g. 02:00:00</source>
        <translation>例如 02:00:00</translation>
    </message>
    <message>
        <source>e.g. --mem=16G --account=lab</source>
        <translation>例如 --mem=16G --account=lab</translation>
    </message>
    <message>
        <source>The qidlab-cli every task runs; the nodes must see it at this path</source>
        <translation>每个任务运行的 qidlab-cli；节点必须能在此路径下找到它</translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) of &apos;%1&apos;</source>
        <translation>
            <numerusform>“%1”的 %n 个单元</numerusform>
        </translation>
    </message>
    <message>
        <source>Preview script shows the sbatch script that would be submitted</source>
        <translation>“预览脚本”显示将要提交的 sbatch 脚本</translation>
    </message>
    <message>
        <source>Browse</source>
        <translation>浏览</translation>
    </message>
    <message>
        <source>Evaluation:</source>
        <translation>评估：</translation>
    </message>
    <message>
        <source>Results folder:</source>
        <translation>结果文件夹：</translation>
    </message>
    <message>
        <source>Array size:</source>
        <translation>数组大小：</translation>
    </message>
    <message>
        <source>Partition:</source>
        <translation>分区：</translation>
    </message>
    <message>
        <source>GRES:</source>
        <translation>GRES：</translation>
    </message>
    <message>
        <source>Time limit:</source>
        <translation>时间限制：</translation>
    </message>
    <message>
        <source>Extra sbatch options:</source>
        <translation>额外 sbatch 选项：</translation>
    </message>
    <message>
        <source>qidlab-cli on the nodes:</source>
        <translation>节点上的 qidlab-cli：</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Choose the shared results folder</source>
        <translation>选择共享结果文件夹</translation>
    </message>
    <message>
        <source>No script: %1</source>
        <translation>无脚本：%1</translation>
    </message>
    <message>
        <source>Cannot submit: %1</source>
        <translation>无法提交：%1</translation>
    </message>
</context>
</TS>
