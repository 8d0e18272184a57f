export const OUT_OF_SCOPE_PARCEL_KEYS = ['id','code','districtCode','districtName','landUseCode','areaM2','bbox','geometry','updatedAt'] as const;
