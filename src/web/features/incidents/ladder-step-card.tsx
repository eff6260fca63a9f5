import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { Button, Card, Col, Form, InputNumber, Row, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { channels, whoms } from '../../../shared/incidents.ts';

/** One rung of a ladder in the editor: whom, channels, wait, repeats and the fields of its kind. */
export function StepFields({ index, count, onMove, onRemove, readOnly = false }: StepProps) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      data-testid={`ladder-step-${index}`}
      title={t('incidents.ladders.step', { n: index + 1 })}
      extra={
        !readOnly && (
          <Space size={4}>
            <Button
              size="small"
              icon={<ArrowUpOutlined />}
              disabled={index === 0}
              aria-label={t('incidents.ladders.moveUp')}
              onClick={() => onMove(index, index - 1)}
            />
            <Button
              size="small"
              icon={<ArrowDownOutlined />}
              disabled={index === count - 1}
              aria-label={t('incidents.ladders.moveDown')}
              onClick={() => onMove(index, index + 1)}
            />
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              disabled={count === 1}
              aria-label={t('incidents.ladders.removeStep')}
              data-testid={`ladder-step-${index}-remove`}
              onClick={() => onRemove(index)}
            />
          </Space>
        )
      }
    >
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item
            name={[index, 'whom']}
            label={t('incidents.ladders.whom')}
            rules={[{ required: true, message: t('incidents.ladders.whomRequired') }]}
          >
            <Select options={whoms.map((w) => ({ value: w, label: t(`incidents.ladders.whoms.${w}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name={[index, 'channels']} label={t('incidents.ladders.channels')}>
            <Select
              mode="multiple"
              options={channels.map((c) => ({ value: c, label: t(`incidents.notifications.channel.${c}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            name={[index, 'waitSeconds']}
            label={t('incidents.ladders.waitSeconds')}
            extra={t('incidents.ladders.waitHint')}
          >
            <InputNumber style={{ width: '100%' }} precision={0} suffix={t('incidents.ladders.sec')} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            name={[index, 'repeats']}
            label={t('incidents.ladders.repeats')}
            extra={t('incidents.ladders.repeatsHint')}
          >
            <InputNumber style={{ width: '100%' }} precision={0} />
          </Form.Item>
        </Col>
        <Form.Item noStyle dependencies={[['steps', index, 'whom']]}>
          {({ getFieldValue }) => {
            const whom = getFieldValue(['steps', index, 'whom']);
            if (whom === 'circle')
              return (
                <Col xs={12} md={6}>
                  <Form.Item
                    name={[index, 'circleCount']}
                    label={t('incidents.ladders.circleCount')}
                    extra={t('incidents.ladders.circleCountHint')}
                  >
                    <InputNumber style={{ width: '100%' }} precision={0} />
                  </Form.Item>
                </Col>
              );
            if (whom === 'emergency_services')
              return (
                <Col xs={12} md={6}>
                  <Form.Item name={[index, 'emergencyNumber']} label={t('incidents.ladders.emergencyNumber')}>
                    <Select allowClear options={['120', '110', '119'].map((n) => ({ value: n, label: n }))} />
                  </Form.Item>
                </Col>
              );
            return null;
          }}
        </Form.Item>
      </Row>
    </Card>
  );
}
interface StepProps {
  index: number;
  count: number;
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
  /** no moving or removing: a city-wide setting seen by an administrator below the city */
  readOnly?: boolean;
}
